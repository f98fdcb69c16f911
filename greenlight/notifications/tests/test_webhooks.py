"""Webhook delivery to a local HTTP server: formats, no duplicates, retry after failure."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from greenlight.notifications import services
from greenlight.notifications.models import Delivery, Notification, Webhook

pytestmark = pytest.mark.django_db


class Recorder(BaseHTTPRequestHandler):
    received: list = []
    fail_next = 0

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Recorder.fail_next:
            Recorder.fail_next -= 1
            self.send_response(500)
            self.end_headers()
            return
        Recorder.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Recorder.received, Recorder.fail_next = [], 0
    httpd = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    httpd.shutdown()


def _notify(world, key="k1"):
    return services.notify(
        users=[world.users.approver],
        event="approval_overdue",
        key=key,
        title="已超期：环评",
        body="鹏鼎园区扩建项目",
        url="/approvals/1/",
        region=world.baoan,
    )


def test_wecom_markdown_delivered_once(world, server):
    # given a WeCom robot of the region
    Webhook.objects.create(
        region=world.baoan, name="专班群", url=server, kind="wecom", markdown=True
    )
    # when the same event is notified twice and the tick runs twice
    _notify(world)
    _notify(world)
    services.deliver_due()
    services.deliver_due()
    # then one message reached the robot, and one inbox message exists
    assert len(Recorder.received) == 1
    assert Recorder.received[0]["msgtype"] == "markdown"
    assert "已超期：环评" in Recorder.received[0]["markdown"]["content"]
    assert Notification.objects.count() == 1


def test_failure_is_retried_with_backoff(world, server):
    Webhook.objects.create(region=world.baoan, name="json", url=server, kind="json")
    Recorder.fail_next = 1
    _notify(world)
    # when the first try fails
    assert services.deliver_due()["retry"] == 1
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    # then nothing is sent again before the backoff
    assert services.deliver_due()["sent"] == 0
    # and after it the delivery goes through, once
    later = timezone.now() + timedelta(minutes=2)
    assert services.deliver_due(now=later)["sent"] == 1
    assert services.deliver_due(now=later + timedelta(hours=1))["sent"] == 0
    assert Recorder.received == [
        {
            "event": "approval_overdue",
            "title": "已超期：环评",
            "body": "鹏鼎园区扩建项目",
            "url": "/approvals/1/",
        }
    ]


def test_dingtalk_text_and_department_filter(world, server):
    Webhook.objects.create(
        region=world.baoan, department=world.water, name="水务", url=server, kind="dingtalk"
    )
    Webhook.objects.create(
        region=world.baoan, name="all", url=server, kind="dingtalk", events=["batch_issued"]
    )
    _notify(world)
    services.deliver_due()
    assert Recorder.received == []  # neither the water hook nor the batch-only hook wants it


def test_unreachable_endpoint_gives_up_after_max_attempts(world):
    hook = Webhook.objects.create(
        region=world.baoan, name="dead", url="http://127.0.0.1:9/x", kind="json"
    )
    _notify(world)
    now = timezone.now()
    for i in range(services.MAX_ATTEMPTS):
        services.deliver_due(now=now + timedelta(days=i))
    delivery = Delivery.objects.get(webhook=hook)
    assert delivery.status == "failed" and delivery.attempts == services.MAX_ATTEMPTS


def test_inbox_is_private(client_for, world):
    _notify(world)
    item = Notification.objects.get()
    assert (
        client_for(world.users.company).post(f"/api/v1/notifications/{item.pk}/read").status_code
        == 404
    )
    response = client_for(world.users.approver).get("/api/v1/notifications?unread=true")
    assert [n["id"] for n in response.json()] == [item.pk]
    assert client_for(world.users.approver).get("/notifications/").status_code == 200


class HeaderRecorder(BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        HeaderRecorder.seen.append((self.path, dict(self.headers), body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args):
        pass


@pytest.fixture
def header_server():
    HeaderRecorder.seen = []
    httpd = HTTPServer(("127.0.0.1", 0), HeaderRecorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/robot/send?access_token=t"
    httpd.shutdown()


def test_deliveries_are_signed_and_user_markdown_is_escaped(world, header_server):
    import base64
    import hashlib
    import hmac
    from urllib.parse import parse_qs, urlsplit

    # given a DingTalk robot with 加签 and a project name that is markdown
    secret = "SEC-robot-secret-0123456789"
    Webhook.objects.create(
        region=world.baoan,
        name="钉钉群",
        url=header_server,
        kind="dingtalk",
        markdown=True,
        secret=secret,
    )
    services.notify(
        users=[world.users.approver],
        event="approval_overdue",
        key="signed-1",
        title="已超期",
        body="[点此领取](http://evil.example) **紧急**",
        url="/approvals/1/",
        region=world.baoan,
    )
    # when the tick delivers it
    assert services.deliver_due()["sent"] == 1
    # then the body shows the user's text literally, and both signatures verify
    path, headers, body = HeaderRecorder.seen[0]
    text = json.loads(body)["markdown"]["text"]
    assert r"\[点此领取\]\(http://evil\.example\) \*\*紧急\*\*" in text
    assert "[查看](/approvals/1/)" in text
    stamp = headers["X-Greenlight-Timestamp"]
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["X-Greenlight-Signature"] == f"sha256={expected}"
    query = parse_qs(urlsplit(path).query)
    millis = query["timestamp"][0]
    mac = hmac.new(secret.encode(), f"{millis}\n{secret}".encode(), hashlib.sha256).digest()
    assert query["sign"][0] == base64.b64encode(mac).decode()
    assert query["access_token"] == ["t"]


def test_a_hook_without_a_secret_is_sent_unsigned(world, header_server):
    Webhook.objects.create(region=world.baoan, name="群", url=header_server, kind="json")
    _notify(world, key="plain-1")
    assert services.deliver_due()["sent"] == 1
    _path, headers, _body = HeaderRecorder.seen[0]
    assert "X-Greenlight-Signature" not in headers
