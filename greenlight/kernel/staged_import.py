"""The pages of an Excel bulk import, shared by every importer: the upload with its dry run
(each bad row named by row, column and reason), the file staged under a one-time token, then
the import of the previewed file, all rows or none.

An importer module gives `check_size(size)`, `parse(data, *, user)` (a `Parsed`) and
`commit(data, *, user)` (the rows stored, or a DomainError listing the bad rows)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .errors import DomainError

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class StagedImport:
    importer: ModuleType
    folder: str  # under MEDIA_ROOT, one subfolder per user
    template: str  # the upload page's template
    again: str  # URL name of the upload page, where a failed import returns

    def staged(self, user, token: str) -> Path:
        if not _TOKEN.match(token or ""):
            raise Http404
        return Path(settings.MEDIA_ROOT) / self.folder / str(user.pk) / f"{token}.xlsx"

    def upload(self, request, form):
        """Check the uploaded file; a clean one is staged for `commit` under a token."""
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                self.importer.check_size(upload.size)
                data = upload.read()
                parsed = self.importer.parse(data, user=request.user)
            except DomainError as exc:
                form.add_error("file", str(exc.message))
            else:
                context["parsed"] = parsed
                if parsed.ok:
                    token = uuid.uuid4().hex
                    path = self.staged(request.user, token)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                    context["token"] = token
        return render(request, self.template, context)

    def commit(self, request, *, done: Callable[[list], str], then: str):
        """Import the previewed file, all rows or none; `done` words the success, `then` is
        the URL name to go to."""
        path = self.staged(request.user, request.POST.get("token", ""))
        if not path.exists():
            messages.error(request, _("The previewed file has expired; upload it again."))
            return redirect(self.again)
        try:
            rows = self.importer.commit(path.read_bytes(), user=request.user)
        except DomainError as exc:
            lines = [
                f"{e['row']} {e['column']}: {e['reason']}" for e in exc.extra.get("errors", [])
            ]
            messages.error(request, " · ".join([str(exc.message), *lines[:20]]))
            return redirect(self.again)
        finally:
            path.unlink(missing_ok=True)
        messages.success(request, done(rows))
        return redirect(then)
