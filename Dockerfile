# One image, three entry points: `node dist/src/main.js [mode]` (the ENTRYPOINT; give the mode as
# the container command).
#
#   (no mode)       the component: gRPC on $DAPR_COMPONENTS_SOCKETS_FOLDER/$MQTT_SOCKET_NAME.sock
#                   (default /tmp/dapr-components-sockets/mqtt-pluggable.sock), serving
#                   pubsub.mqtt-pluggable and state.mqtt-pluggable, plus the bundled broker with its
#                   state service in the same process. Set MQTT_BROKER=off when the Components' `url`
#                   points at a broker elsewhere (docker-compose.yml, deploy/kubernetes/).
#   broker          the bundled MQTT broker on $MQTT_BROKER_HOST:$MQTT_BROKER_PORT (set
#                   MQTT_BROKER_HOST=0.0.0.0 to reach it from other containers) with the state
#                   service embedded; data under $MQTT_BROKER_DATA, state in $MQTT_BROKER_DATA/state.
#                   MQTT_STATE_SERVICE=off leaves the state service out.
#   state-service   the state service alone, attached to any broker: STATE_SERVICE_URL (default
#                   mqtt://127.0.0.1:1883), STATE_SERVICE_USERNAME, STATE_SERVICE_PASSWORD,
#                   STATE_SERVICE_CLIENT_ID (default dapr-state-service), STATE_SERVICE_DATA.
#
# Runs as the non-root `node` user (uid 1000, gid 1000). Writable paths: /data (broker and state
# service data: mount a volume there) and /tmp/dapr-components-sockets (the socket folder daprd
# must share: mount a volume there too). Nothing else is written, so a read-only root filesystem works.
#
# Build: docker build -t dapr-mqtt-pluggable .   (the example apps: examples/Dockerfile)

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY proto ./proto
COPY src ./src
# Only src/ is compiled (test/ is not in the build context); then the dev dependencies go.
RUN npx tsc -p . && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
# Data lands in /data (owned by node), not ./data under /app (owned by root, not writable).
ENV NODE_ENV=production \
    MQTT_BROKER_DATA=/data \
    STATE_SERVICE_DATA=/data/state
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# package.json: "type": "module" for dist/; proto/: loaded at runtime by proto-loader.
COPY package.json ./
COPY proto ./proto
RUN mkdir -p /data /tmp/dapr-components-sockets \
 && chown node:node /data /tmp/dapr-components-sockets
USER node
ENTRYPOINT ["node", "dist/src/main.js"]
