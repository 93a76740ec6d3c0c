#!/bin/sh
# HealthDeck support bundle: the failed request, secrets as variables.
# set first: $HDECK_TOKEN_TRADING_OAUTH $HDECK_SECRET_SIGNALS_API_KEY
curl -sS -i --max-time 10 -X 'POST' 'http://127.0.0.1:8080/s002/v1/orders' \
  -H 'Authorization: Bearer '"$HDECK_TOKEN_TRADING_OAUTH" \
  -H 'Content-Type: application/json' \
  -H 'X-Api-Key: '"$HDECK_SECRET_SIGNALS_API_KEY" \
  --data-raw '{"name":"o'\''neil","qty":2}'
