"""Full-process case records (行政执法全过程记录, SPEC §4): append-only entries, attachments, proof of
integrity, compliance checks and head-approved release.

Modules: `entries` (what agency systems submit), `records` (opening and appending), `store` (file
bytes by SHA-256), `upload` (streaming multipart), `chain` (verify), `compliance`, `views`
(one structure for API and console), `report` (lists and the agency report), `release` (Art 20).
"""
