# One image, two entry points: the component (default) and the bundled broker (`broker`).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY proto ./proto
COPY src ./src
RUN npx tsc -p . && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY package.json ./
COPY proto ./proto
RUN mkdir -p /data /tmp/dapr-components-sockets && chown node:node /data /tmp/dapr-components-sockets
USER node
ENTRYPOINT ["node", "dist/src/main.js"]
