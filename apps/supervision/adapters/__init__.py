"""Adapters of supervision's peers: national interaction platform and gov.cn inspection platform."""
