"""Signs random requests with botocore's SigV4Auth at a fixed time; prints them as JSON.

The SigV4 tests sign the same requests in Swift and compare the Authorization headers.
    python3 botocore_sign.py SEED COUNT
"""
import base64, datetime, json, random, sys
from unittest import mock
from urllib.parse import quote

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

seed, count = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
FIXED = datetime.datetime(2026, 11, 29, 17, 30, 5)
ALPHABET = "abcXYZ019-_.~ !*'()$&+,/:;=?@[]%é日\u00a0"

def text(low, high):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(low, high)))

cases = []
for _ in range(count):
    method = rng.choice(["GET", "POST", "DELETE", "PUT"])
    segments = [quote(text(1, 6), safe="") for _ in range(rng.randint(0, 3))]
    path = "/" + "/".join(s for s in segments if s not in (".", ".."))
    params = [(text(1, 5), text(0, 8)) for _ in range(rng.randint(0, 4))]
    query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in params)
    port = rng.choice(["", ":5000", ":443"])
    url = f"https://ec2.us-east-1.amazonaws.com{port}{path}" + (f"?{query}" if query else "")
    headers = {"Content-Type": rng.choice(["application/x-www-form-urlencoded; charset=utf-8", "application/json"])}
    if rng.random() < 0.5:
        headers["X-Custom-Header"] = "  spaced   value\twith  tabs "
    body = "".join(rng.choice("abc=&xyz") for _ in range(rng.randint(0, 40))).encode() if method != "GET" else b""
    token = "FQoGZXIvYXdzEXAMPLETOKEN" + text(0, 4) if rng.random() < 0.5 else None
    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=FIXED):
        botocore.auth.SigV4Auth(creds, "ec2", "us-east-1").add_auth(request)
    cases.append({
        "method": method, "url": url, "headers": headers, "body": base64.b64encode(body).decode(),
        "token": token, "authorization": request.headers["Authorization"],
        "amz_date": request.headers["X-Amz-Date"],
    })
print(json.dumps(cases))
