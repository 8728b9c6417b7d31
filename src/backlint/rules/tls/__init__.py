"""BL711: data sent without TLS or with certificate checks off (rules/tls.yaml)."""
