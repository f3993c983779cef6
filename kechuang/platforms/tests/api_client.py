"""A small JSON client over the real /api/ with a bearer token (shared by the carrier modules' tests)."""

from kechuang.accounts import services as account_services


class ApiClient:
    def __init__(self, client, user, label: str):
        _, key = account_services.api_token_create(actor=user, user=user, name="测试")
        self.client, self.base = client, f"/api/{label}"
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path, **params):
        return self.client.get(f"{self.base}{path}", params, headers=self.headers)

    def post(self, path, data):
        return self.client.post(
            f"{self.base}{path}", data, content_type="application/json", headers=self.headers
        )

    def patch(self, path, data):
        return self.client.patch(
            f"{self.base}{path}", data, content_type="application/json", headers=self.headers
        )
