"""BL921 connection-per-request: connections, pools and pooled clients made per request or per loop iteration."""
