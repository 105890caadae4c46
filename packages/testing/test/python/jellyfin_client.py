"""Signs in to a server with jellyfin-apiclient-python, reads the current user, signs out.

Usage: jellyfin_client.py <server url> <user> <password>. Prints one JSON object: what each step
gave, the Authorization header the client sends (its own `get_default_headers`), and how the
generated `media_browser_authorization` package (on the import path) reads that header.
"""
import json
import sys
from typing import Any, Dict

from jellyfin_apiclient_python import JellyfinClient
from jellyfin_apiclient_python.exceptions import HTTPException

import media_browser_authorization as auth


def read(header: str) -> Any:
    parsed = auth.parse(header, mode="strict")
    compat = auth.parse(header)
    if isinstance(compat, auth.ParseError):
        return {"error": compat.code}
    return {
        "scheme": compat.scheme,
        "params": dict(compat.params),
        "strict": None if not isinstance(parsed, auth.ParseError) else parsed.code,
    }


def main() -> None:
    url, user, password = sys.argv[1:4]
    client = JellyfinClient()
    client.config.app("mbauth interop", "1.0.0", "CI runner", "mbauth-python-interop")
    client.config.data["auth.ssl"] = False
    out: Dict[str, Any] = {}
    out["connect"] = str(client.auth.connect_to_address(url).get("State"))
    signed_in = client.auth.login(url, user, password)
    out["signedIn"] = bool(signed_in)
    if signed_in:
        header = client.jellyfin.get_default_headers()["Authorization"]
        out["sent"] = header
        out["header"] = read(header)
        # The current user: /Users/Me, through the client's own request path (its get_user() reads
        # /Users/{UserId}, which the fake servers do not serve).
        out["user"] = client.jellyfin._get("Users/Me").get("Name")
        devices = client.jellyfin._get("Devices")
        out["devices"] = [{"Id": d["Id"], "Name": d["Name"], "AppName": d["AppName"], "AppVersion": d["AppVersion"]} for d in devices["Items"]]
        client.jellyfin._post("Sessions/Logout")
        try:
            client.jellyfin._get("Users/Me")
            out["afterSignOut"] = "still signed in"
        except HTTPException as e:
            out["afterSignOut"] = str(e.status)
    print(json.dumps(out))


main()
