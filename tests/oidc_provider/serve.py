"""Start the test identity provider: migrate its database, make its users and the platform's
client, serve on 127.0.0.1:PORT until killed. `python -m tests.oidc_provider.serve PORT`."""

import os
import sys

import django
from django.core.management import call_command


def main(port: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    django.setup()
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    from tests.oidc_provider.validator import directory

    call_command("migrate", verbosity=0)
    for username, entry in directory()["users"].items():
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(entry["password"])
        user.save()
    Application.objects.update_or_create(
        client_id=os.environ["OIDC_PROVIDER_CLIENT_ID"],
        defaults={
            "name": "greenlight",
            "client_secret": os.environ["OIDC_PROVIDER_CLIENT_SECRET"],
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": os.environ["OIDC_PROVIDER_REDIRECT_URI"],
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main(sys.argv[1])
