import pytest
from django.urls import reverse

from kechuang.agritech import services
from kechuang.agritech.tests.factories import png_bytes

pytestmark = pytest.mark.django_db


def test_public_card_shows_masked_contact_and_no_id_number(client, staff, own_pairing):
    services.pairing_set_card(actor=staff, pairing=own_pairing, published=True)
    person = own_pairing.commissioner.person
    resp = client.get(reverse("agritech:public_card", args=[own_pairing.card_token]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert person.name in html and person.masked_phone in html and "果树栽培" in html
    assert person.phone not in html
    assert person.id_number not in html and person.id_number[:6] + person.id_number[-4:] not in html
    assert 'src="data:image/svg+xml' in html  # the QR code, inline (CSP allows img data:)


def test_qr_code_links_to_the_public_page(client, staff, own_pairing):
    import segno

    services.pairing_set_card(actor=staff, pairing=own_pairing, published=True)
    url = "http://testserver" + reverse("agritech:public_card", args=[own_pairing.card_token])
    html = client.get(url).content.decode()
    assert segno.make(url, error="m").svg_data_uri(scale=4, border=2) in html


def test_unpublished_card_is_not_public(client, own_pairing):
    assert client.get(reverse("agritech:public_card", args=[own_pairing.card_token])).status_code == 404
    assert (
        client.get(reverse("agritech:public_cards")).content.decode().count(str(own_pairing.card_token)) == 0
    )


def test_withdrawn_card_disappears(client, staff, own_pairing):
    services.pairing_set_card(actor=staff, pairing=own_pairing, published=True)
    assert str(own_pairing.card_token) in client.get(reverse("agritech:public_cards")).content.decode()
    services.pairing_set_card(actor=staff, pairing=own_pairing, published=False)
    assert client.get(reverse("agritech:public_card", args=[own_pairing.card_token])).status_code == 404


def test_photo_is_served_only_for_published_cards(client, staff, own_pairing):
    services.commissioner_set_photo(
        actor=staff, commissioner=own_pairing.commissioner, data=png_bytes(), original_name="照片.png"
    )
    photo_url = reverse("agritech:public_card_photo", args=[own_pairing.card_token])
    assert client.get(photo_url).status_code == 404
    services.pairing_set_card(actor=staff, pairing=own_pairing, published=True)
    resp = client.get(photo_url)
    assert resp.status_code == 200 and resp["Content-Type"] == "image/png"


def test_public_card_list_is_on_the_portal(client):
    assert reverse("agritech:public_cards") in client.get(reverse("portal:home")).content.decode()
