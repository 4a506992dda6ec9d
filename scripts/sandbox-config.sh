#!/usr/bin/env bash
# The configuration `make run` starts: sip.conf.example with one more business
# number, [sipdesk], in SIP mode beside the two Graph-mode numbers, so the
# sandbox serves one number in each signalling mode.
#
#   scripts/sandbox-config.sh BASE_CONFIG RUN_DIR [TLS_PORT]
#
# writes RUN_DIR/sip.conf and, on first use, a throw-away test CA with two
# certificates in RUN_DIR (never in git; delete RUN_DIR to make new ones):
#   gateway.pem/.key    wagate's tls: listener, naming sip.example.com
#                       ([sipdesk] sip_domain, the name Meta checks) and 127.0.0.1;
#   simulator.pem/.key  the simulator's SIP-mode Meta, naming wa.meta.vc and
#                       127.0.0.1 (where the sandbox reaches it).
# The gateway verifies the simulator (tls_verify = server, tls_ca_file = ca.pem)
# as it verifies Meta in cloud mode. Paths in sip.conf are relative to RUN_DIR.
set -euo pipefail

base=${1:?usage: sandbox-config.sh BASE_CONFIG RUN_DIR [TLS_PORT]}
run_dir=${2:?usage: sandbox-config.sh BASE_CONFIG RUN_DIR [TLS_PORT]}
tls_port=${3:-5061}
domain=sip.example.com
mkdir -p "$run_dir"

# issue NAME SUBJECT_ALT_NAMES: a key and a certificate signed by the run CA.
issue() {
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$run_dir/$1.key" \
        -out "$run_dir/$1.csr" 2>/dev/null
    openssl x509 -req -in "$run_dir/$1.csr" -CA "$run_dir/ca.pem" -CAkey "$run_dir/ca.key" \
        -CAcreateserial -days 825 -sha256 -out "$run_dir/$1.pem" \
        -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$3") 2>/dev/null
    rm -f "$run_dir/$1.csr"
}

if [ ! -s "$run_dir/ca.pem" ] || [ ! -s "$run_dir/gateway.pem" ] || [ ! -s "$run_dir/simulator.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=wagate sandbox test CA" \
        -keyout "$run_dir/ca.key" -out "$run_dir/ca.pem" 2>/dev/null
    issue gateway "$domain" "DNS:$domain,IP:127.0.0.1"
    issue simulator wa.meta.vc "DNS:wa.meta.vc,IP:127.0.0.1"
    echo "sandbox: made a test CA and certificates in $run_dir"
fi

# The example's [general] listen gains the tls: listener and its files; the
# simulator gets its identity; the commented [sipdesk] block is switched on
# up to its sip_domain (its other keys keep their defaults).
awk -v port="$tls_port" -v domain="$domain" '
    /^\[/ { section = $0 }
    section == "[general]" && /^listen = / {
        print $0 ", tls:127.0.0.1:" port
        print "tls_certificate = gateway.pem"
        print "tls_private_key = gateway.key"
        print "tls_verify = server"
        print "tls_ca_file = ca.pem"
        next
    }
    section == "[whatsapp]" && /^mode = sandbox/ {
        print
        print "simulator_sip_certificate = simulator.pem"
        print "simulator_sip_private_key = simulator.key"
        next
    }
    /^;\[sipdesk\]/ { sipdesk = 1; section = "[sipdesk]" }
    sipdesk && /^;(\[sipdesk\]|type|phone_number_id|business_number|signaling|sip_domain) ?=?/ {
        line = substr($0, 2)
        if (line ~ /^sip_domain/) { line = "sip_domain = " domain; sipdesk = 0 }
        print line
        next
    }
    { print }
' "$base" > "$run_dir/sip.conf.tmp"
grep -q '^\[sipdesk\]' "$run_dir/sip.conf.tmp" && grep -q '^signaling = sip' "$run_dir/sip.conf.tmp" \
    && grep -q 'tls:127.0.0.1:' "$run_dir/sip.conf.tmp" \
    || { echo "sandbox: $base has no [general] listen or commented [sipdesk] block to switch on" >&2; exit 1; }
mv "$run_dir/sip.conf.tmp" "$run_dir/sip.conf"
