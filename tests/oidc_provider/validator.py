"""The provider's claims: whatever the directory file says of the user, read at each token."""

import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator


def directory() -> dict:
    with open(os.environ["OIDC_DIRECTORY"], encoding="utf-8") as f:
        return json.load(f)


class DirectoryValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim of the directory, whatever the scope

    def get_additional_claims(self, request):
        entry = directory()["users"].get(request.user.username, {})
        return {"preferred_username": request.user.username, **entry.get("claims", {})}
