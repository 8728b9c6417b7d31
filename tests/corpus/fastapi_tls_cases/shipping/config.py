import os

CARRIER_VERIFY_TLS = os.getenv("CARRIER_VERIFY_TLS", "true").lower() in ("1", "true", "yes")
CUSTOMS_VERIFY_TLS = os.getenv("CUSTOMS_VERIFY_TLS", "false").lower() == "true"
TRACKING_URL = "http://tracking.parcel-carrier-example.com/v3/track"
WAREHOUSE_URL = os.getenv("WAREHOUSE_URL", "http://warehouse.internal:9000")
GEOCODER_URL = "http://geocoder:8080/search"
