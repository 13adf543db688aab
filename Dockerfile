# The workspace's image: ws (CLI + migrations) and the app. Built by `ws up --env dev`
# (resource ai-dev-api-image, workspace/dev.ts) with build arg NODE_IMAGE = settings images.node.
#
#   build  npm ci + tsc  -> dist/
#   deps   production node_modules only
#   final  node_modules, dist/, db/, workspace/, infra/ (sources the workspace files import), bin/
#
# EXTRA_CA_CERTS (optional, PEM text): certificate authorities npm must trust while installing,
# for machines behind a TLS-intercepting proxy (set WS_BUILD_CA_FILE; certificates are public).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ARG EXTRA_CA_CERTS=""
COPY package.json package-lock.json ./
RUN if [ -n "$EXTRA_CA_CERTS" ]; then printf '%s\n' "$EXTRA_CA_CERTS" >/tmp/extra-ca.pem && export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; fi \
 && npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY cli cli
COPY db db
COPY infra infra
COPY workspace workspace
COPY app app
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ARG EXTRA_CA_CERTS=""
COPY package.json package-lock.json ./
RUN if [ -n "$EXTRA_CA_CERTS" ]; then printf '%s\n' "$EXTRA_CA_CERTS" >/tmp/extra-ca.pem && export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; fi \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production WS_ROOT=/app
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY package.json package-lock.json ./
COPY --from=build /app/dist dist
COPY infra infra
COPY db db
COPY workspace workspace
COPY bin bin
RUN ln -s /app/bin/ws.js /usr/local/bin/ws
# the official node images (and local/node:20) have this unprivileged user (uid 1000)
USER node
EXPOSE 8000
ENTRYPOINT ["/app/bin/entrypoint.sh"]
CMD ["node", "/app/dist/app/main.js"]
