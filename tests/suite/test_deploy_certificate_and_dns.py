"""Part C steps 8 and 9's logic against a local TLS server whose certificates the test makes: a good
chain, one expiring soon, an expired one, one for another host, one from a CA nobody trusts; and DNS."""

from __future__ import annotations

import socket
import ssl
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from fixtures.deployment.certificate import check_certificate
from fixtures.deployment.dns_lookup import resolve
from fixtures.settings import SettingsError, load_settings
from tests.suite.test_bad_configuration import GOOD

NOW = datetime.now(timezone.utc)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, cn)])


def make_ca(cn: str = "Smoke Test CA"):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn)).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(NOW - timedelta(days=30))
            .not_valid_after(NOW + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_leaf(ca, host: str, not_before: datetime, not_after: datetime):
    ca_key, ca_cert = ca
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(host)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def pem(path: Path, cert, key=None) -> Path:
    data = cert.public_bytes(serialization.Encoding.PEM)
    if key is not None:
        data += key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    path.write_bytes(data)
    return path


class TlsServer:
    """Answers TLS handshakes on 127.0.0.1 with one certificate until stopped."""

    def __init__(self, chain_file: Path):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(chain_file)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            try:
                conn.settimeout(5)
                with self.context.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass  # the client refused the certificate: that is what some tests want
            finally:
                conn.close()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    authority = make_ca()
    return authority, pem(tmp_path_factory.mktemp("ca") / "ca.pem", authority[1])


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(authority, host="localhost", days_valid=90.0, days_old=10.0) -> int:
        key, cert = make_leaf(authority, host, NOW - timedelta(days=days_old), NOW + timedelta(days=days_valid))
        server = TlsServer(pem(tmp_path / f"leaf-{len(servers)}.pem", cert, key))
        servers.append(server)
        return server.port

    yield start
    for s in servers:
        s.stop()


def test_a_good_chain_for_the_host_is_valid_with_its_expiry_and_issuer(ca, serve):
    authority, ca_file = ca
    cert = check_certificate("localhost", serve(authority, days_valid=90), cafile=str(ca_file))
    assert cert.valid and cert.problem is None and cert.issuer == "Smoke Test CA"
    assert 89 < cert.days_left() <= 90


def test_a_certificate_expiring_within_the_minimum_days_is_valid_but_short(ca, serve):
    authority, ca_file = ca
    cert = check_certificate("localhost", serve(authority, days_valid=3), cafile=str(ca_file))
    assert cert.valid and 2 < cert.days_left() < load_settings(values=GOOD).smoke_cert_min_days


def test_an_expired_certificate_is_invalid(ca, serve):
    authority, ca_file = ca
    cert = check_certificate("localhost", serve(authority, days_valid=-1, days_old=30), cafile=str(ca_file))
    assert not cert.valid and "expired" in cert.problem
    with pytest.raises(ValueError):
        cert.days_left()


def test_a_certificate_for_another_host_is_invalid(ca, serve):
    authority, ca_file = ca
    cert = check_certificate("localhost", serve(authority, host="kulti.example"), cafile=str(ca_file))
    assert not cert.valid and "mismatch" in cert.problem.lower()


def test_a_chain_from_an_untrusted_ca_is_invalid(ca, serve):
    _, ca_file = ca
    cert = check_certificate("localhost", serve(make_ca("Someone Else")), cafile=str(ca_file))
    assert not cert.valid and "issuer certificate" in cert.problem


def test_the_system_trust_store_refuses_the_test_ca(ca, serve):
    cert = check_certificate("localhost", serve(ca[0]))
    assert not cert.valid


def test_an_unreachable_host_is_a_connection_error_not_a_bad_certificate():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectionError, match="cannot reach"):
        check_certificate("127.0.0.1", port, timeout_s=2)


@pytest.mark.parametrize("value", ["abc", "-1", "2.5", "366"])
def test_cert_min_days_is_validated_naming_the_setting(value):
    with pytest.raises(SettingsError, match="SMOKE_CERT_MIN_DAYS: must be a whole number of days from 0 to 365"):
        load_settings(values={**GOOD, "SMOKE_CERT_MIN_DAYS": value})


def test_cert_min_days_defaults_to_14_and_takes_a_value():
    assert load_settings(values=GOOD).smoke_cert_min_days == 14
    assert load_settings(values={**GOOD, "SMOKE_CERT_MIN_DAYS": "30"}).smoke_cert_min_days == 30


def test_a_name_that_resolves_lists_its_addresses():
    found = resolve("localhost")
    assert found.resolves and "127.0.0.1" in found.ipv4 and "A 127.0.0.1" in found.describe()


def test_a_name_that_does_not_resolve_says_why():
    found = resolve("kulti-smoke-no-such-host.invalid")  # .invalid never resolves (RFC 6761)
    assert not found.resolves and found.error and "does not resolve" in found.describe()


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]"])
def test_an_ip_address_has_no_name_to_resolve(host):
    found = resolve(host)
    assert found.literal and not found.resolves
