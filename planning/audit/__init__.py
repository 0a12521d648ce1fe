"""The coordinators' "Nhật ký thay đổi": the audit trail's page and CSV.

agencies/audit.py says what writes the entries and who signs them.
"""
