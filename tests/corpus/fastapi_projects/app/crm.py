from hubspot_lite import Client

from .config import settings

crm_client = Client(api_token=settings.crm_api_token, timeout=10)
