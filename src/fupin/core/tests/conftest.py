import pytest


@pytest.fixture
def sign_in(client):
    """Sign a cast member in; administrators also pass two-factor, as after a real OTP check."""

    def sign_in(user):
        client.force_login(user)
        if user.is_administrator:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return sign_in


@pytest.fixture(scope="module")
def world_layers(request):
    """Each module shares one cast (fupin.testing), built once; a module may declare WORLD_LAYERS."""
    from fupin import testing

    return testing.world_layers_of(request.module, default=())
