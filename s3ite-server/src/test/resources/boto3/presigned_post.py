"""A browser upload as a Python web application prepares it with boto3, and a client sends it.

    python3 presigned_post.py ENDPOINT ACCESS_KEY SECRET_KEY SIGNATURE_VERSION BUCKET KEY FILE_NAME

boto3's generate_presigned_post makes the form (signature_version 's3v4' or 's3'); requests POSTs
it as multipart/form-data, the fields first and the file last. Prints what happened as JSON.
"""
import json
import sys

import boto3
import requests
from botocore.config import Config

endpoint, access_key, secret_key, signature_version, bucket, key, file_name = sys.argv[1:8]

s3 = boto3.client(
    "s3",
    endpoint_url=endpoint,
    aws_access_key_id=access_key,
    aws_secret_access_key=secret_key,
    region_name="us-east-1",
    config=Config(signature_version=signature_version, s3={"addressing_style": "path"}),
)
post = s3.generate_presigned_post(
    Bucket=bucket,
    Key=key,
    Fields={"Content-Type": "text/plain", "x-amz-meta-origin": "boto3", "success_action_status": "201"},
    Conditions=[
        ["starts-with", "$Content-Type", "text/"],
        {"x-amz-meta-origin": "boto3"},
        {"success_action_status": "201"},
        ["content-length-range", 1, 1024],
    ],
    ExpiresIn=600,
)
answer = requests.post(
    post["url"],
    data=post["fields"],
    files={"file": (file_name, b"uploaded by boto3's presigned post", "text/plain")},
    timeout=60,
)
print(json.dumps({
    "url": post["url"],
    "fields": post["fields"],
    "status": answer.status_code,
    "etag": answer.headers.get("ETag"),
    "location": answer.headers.get("Location"),
    "body": answer.text,
}))
