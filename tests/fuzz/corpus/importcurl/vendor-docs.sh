# Examples as vendor API docs print them.
export BROKER_TOKEN="eyJhbGciOiJIUzI1NiJ9.c2lt.dGVzdA"

$ curl -X GET "https://api.broker.example/v1/accounts" \
    -H "Authorization: Bearer $BROKER_TOKEN" \
    -H "Accept: application/json"

curl --request POST \
  --url https://api.broker.example/v1/orders \
  --header 'Content-Type: application/json' \
  --header "Authorization: Bearer $BROKER_TOKEN" \
  --data '{"symbol":"ESZ6","qty":1,"side":"buy"}'

curl -sSL -u 'desk:s3cr3t pass' https://status.exchange.example/api/v2/status.json

curl -G https://md.vendor.example/quotes -d symbol=ESZ6 --data-urlencode 'fields=bid,ask last' \
  -H 'X-Api-Key: live_key_123' -m 5

curl 'https://md.vendor.example/bars?symbol=NQZ6&apikey=qk_999' -H $'Accept: application/json\t'

curl -X POST https://auth.vendor.example/oauth/token -d grant_type=client_credentials -d client_id=desk-poller -d client_secret=cs_abc -d scope=read

curl https://api.broker.example/v1/health --oauth2-bearer '<YOUR_TOKEN>' -k
