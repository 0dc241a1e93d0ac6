{{/*
Chart name, truncated to the 63 characters Kubernetes allows in names and label values.
*/}}
{{- define "adapterhub.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Prefix of every resource name: <release>-<chart>, or just <release> when it already contains the chart name.
*/}}
{{- define "adapterhub.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "adapterhub.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Labels on every resource.
*/}}
{{- define "adapterhub.labels" -}}
helm.sh/chart: {{ include "adapterhub.chart" . }}
{{ include "adapterhub.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: adapterhub
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Labels that select the release's pods; immutable once a Deployment exists, so never add to them.
*/}}
{{- define "adapterhub.selectorLabels" -}}
app.kubernetes.io/name: {{ include "adapterhub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* ---------------------------------------------------------------- registry-service */}}

{{- define "adapterhub.registryService.fullname" -}}
{{- printf "%s-registry-service" (include "adapterhub.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "adapterhub.registryService.labels" -}}
{{ include "adapterhub.labels" . }}
app.kubernetes.io/component: registry-service
{{- end -}}

{{- define "adapterhub.registryService.selectorLabels" -}}
{{ include "adapterhub.selectorLabels" . }}
app.kubernetes.io/component: registry-service
{{- end -}}

{{- define "adapterhub.registryService.serviceAccountName" -}}
{{- if .Values.registryService.serviceAccount.create -}}
{{- default (include "adapterhub.registryService.fullname" .) .Values.registryService.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.registryService.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
registry[/]repository(@digest|:tag) of one component; the tag defaults to the chart's appVersion.
Call with (dict "image" .Values.<component>.image "context" $).
*/}}
{{- define "adapterhub.image" -}}
{{- $image := .image -}}
{{- $registry := default $image.registry .context.Values.global.imageRegistry -}}
{{- $repository := $image.repository -}}
{{- if $registry -}}
{{- $repository = printf "%s/%s" $registry $image.repository -}}
{{- end -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (default .context.Chart.AppVersion $image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{/*
imagePullSecrets block of one component, or nothing; entries may be names or {name: ...} maps.
Call with (dict "image" .Values.<component>.image "context" $).
*/}}
{{- define "adapterhub.imagePullSecrets" -}}
{{- $secrets := concat .context.Values.global.imagePullSecrets .image.pullSecrets -}}
{{- if $secrets -}}
imagePullSecrets:
{{- range $secrets }}
{{- if kindIs "map" . }}
  - name: {{ .name }}
{{- else }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}
{{- end -}}

{{/*
The registry's plain settings (ConfigMap data); the Deployment reads every key of it with configMapKeyRef.
Authentication: ADAPTERHUB_SECURITY_ENABLED always; JWT settings only with auth on and an issuer; the API keys are
never here (they come from auth.existingSecret, see adapterhub.registryService.authEnv).
Webhooks: ADAPTERHUB_WEBHOOKS_* only for the registryService.webhooks values that are set (empty: the service's
defaults); the encryption keys are never here (see adapterhub.registryService.webhooksEnv).
*/}}
{{- define "adapterhub.registryService.config" -}}
{{- $auth := .Values.auth -}}
QUARKUS_HTTP_PORT: {{ .Values.registryService.containerPorts.http | quote }}
QUARKUS_DATASOURCE_JDBC_URL: {{ .Values.externalDatabase.jdbcUrl | quote }}
QUARKUS_DATASOURCE_USERNAME: {{ .Values.externalDatabase.username | quote }}
KAFKA_BOOTSTRAP_SERVERS: {{ .Values.externalKafka.bootstrapServers | quote }}
ADAPTERHUB_STORAGE_ENDPOINT: {{ .Values.externalS3.endpoint | quote }}
ADAPTERHUB_STORAGE_REGION: {{ .Values.externalS3.region | quote }}
ADAPTERHUB_STORAGE_BUCKET: {{ .Values.externalS3.bucket | quote }}
ADAPTERHUB_SECURITY_ENABLED: {{ not $auth.disabled | quote }}
{{- if and (not $auth.disabled) $auth.jwt.issuer }}
ADAPTERHUB_SECURITY_JWT_ISSUER: {{ $auth.jwt.issuer | quote }}
ADAPTERHUB_SECURITY_JWT_PUBLIC_KEY_LOCATION: {{ include "adapterhub.auth.jwtPublicKeyLocation" . | quote }}
{{- with $auth.jwt.audience }}
ADAPTERHUB_SECURITY_JWT_AUDIENCE: {{ . | quote }}
{{- end }}
ADAPTERHUB_SECURITY_JWT_GROUPS_CLAIM: {{ $auth.jwt.groupsClaim | quote }}
{{- end }}
{{- with $auth.registrationPrefixes }}
ADAPTERHUB_SECURITY_REGISTRATION_PREFIXES: {{ join "," . | quote }}
{{- end }}
ADAPTERHUB_SECURITY_PROTECTED_ALIASES: {{ join "," $auth.protectedAliases | quote }}
{{- $wh := .Values.registryService.webhooks | default dict }}
{{- with $wh.allowedTargets }}
ADAPTERHUB_WEBHOOKS_ALLOWED_TARGETS: {{ join "," . | quote }}
{{- end }}
{{- with $wh.timeout }}
ADAPTERHUB_WEBHOOKS_TIMEOUT: {{ . | quote }}
{{- end }}
{{- with $wh.maxAge }}
ADAPTERHUB_WEBHOOKS_MAX_AGE: {{ . | quote }}
{{- end }}
{{- with $wh.disableAfterFailures }}
ADAPTERHUB_WEBHOOKS_DISABLE_AFTER_FAILURES: {{ . | int64 | toString | quote }}
{{- end }}
{{- with $wh.secretOverlap }}
ADAPTERHUB_WEBHOOKS_SECRET_OVERLAP: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "adapterhub.registryService.image" -}}
{{- include "adapterhub.image" (dict "image" .Values.registryService.image "context" .) -}}
{{- end -}}

{{- define "adapterhub.registryService.imagePullSecrets" -}}
{{- include "adapterhub.imagePullSecrets" (dict "image" .Values.registryService.image "context" .) -}}
{{- end -}}

{{/* ---------------------------------------------------------------- training-worker */}}

{{- define "adapterhub.trainingWorker.fullname" -}}
{{- printf "%s-training-worker" (include "adapterhub.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "adapterhub.trainingWorker.labels" -}}
{{ include "adapterhub.labels" . }}
app.kubernetes.io/component: training-worker
{{- end -}}

{{- define "adapterhub.trainingWorker.selectorLabels" -}}
{{ include "adapterhub.selectorLabels" . }}
app.kubernetes.io/component: training-worker
{{- end -}}

{{- define "adapterhub.trainingWorker.serviceAccountName" -}}
{{- if .Values.trainingWorker.serviceAccount.create -}}
{{- default (include "adapterhub.trainingWorker.fullname" .) .Values.trainingWorker.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.trainingWorker.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The registry's REST base as the workers call it: the explicit value, else this release's registry Service.
*/}}
{{- define "adapterhub.trainingWorker.registryUrl" -}}
{{- if .Values.trainingWorker.registryUrl -}}
{{- .Values.trainingWorker.registryUrl -}}
{{- else -}}
{{- printf "http://%s:%v/api/v1" (include "adapterhub.registryService.fullname" .) .Values.registryService.service.ports.http -}}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- serving-gateway */}}

{{- define "adapterhub.servingGateway.fullname" -}}
{{- printf "%s-serving-gateway" (include "adapterhub.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "adapterhub.servingGateway.labels" -}}
{{ include "adapterhub.labels" . }}
app.kubernetes.io/component: serving-gateway
{{- end -}}

{{- define "adapterhub.servingGateway.selectorLabels" -}}
{{ include "adapterhub.selectorLabels" . }}
app.kubernetes.io/component: serving-gateway
{{- end -}}

{{- define "adapterhub.servingGateway.serviceAccountName" -}}
{{- if .Values.servingGateway.serviceAccount.create -}}
{{- default (include "adapterhub.servingGateway.fullname" .) .Values.servingGateway.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.servingGateway.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The registry's REST base as the gateway calls it: the explicit value, else this release's registry Service.
*/}}
{{- define "adapterhub.servingGateway.registryUrl" -}}
{{- if .Values.servingGateway.registryUrl -}}
{{- .Values.servingGateway.registryUrl -}}
{{- else -}}
{{- printf "http://%s:%v/api/v1" (include "adapterhub.registryService.fullname" .) .Values.registryService.service.ports.http -}}
{{- end -}}
{{- end -}}

{{/*
The gateway's plain settings (ConfigMap data); the Deployment reads every key of it with configMapKeyRef.
*/}}
{{- define "adapterhub.servingGateway.config" -}}
{{- $gw := .Values.servingGateway -}}
QUARKUS_HTTP_PORT: {{ $gw.containerPorts.http | quote }}
ADAPTERHUB_REGISTRY_URL: {{ include "adapterhub.servingGateway.registryUrl" . | quote }}
KAFKA_BOOTSTRAP_SERVERS: {{ .Values.externalKafka.bootstrapServers | quote }}
ADAPTERHUB_GATEWAY_EVENTS_ENABLED: {{ $gw.events.enabled | quote }}
ADAPTERHUB_GATEWAY_DEFAULT_ALIAS: {{ $gw.defaultAlias | quote }}
ADAPTERHUB_GATEWAY_ADMIN_ENABLED: {{ $gw.admin.enabled | quote }}
{{- with $gw.servedBaseModels }}
ADAPTERHUB_GATEWAY_SERVED_BASE_MODELS: {{ join "," . | quote }}
{{- end }}
ADAPTERHUB_GATEWAY_MAX_LOADED_BASE_MODELS: {{ $gw.maxLoadedBaseModels | quote }}
ADAPTERHUB_GATEWAY_MAX_IN_FLIGHT_REQUESTS: {{ $gw.maxInFlightRequests | quote }}
ADAPTERHUB_GATEWAY_REQUEST_TIMEOUT: {{ $gw.requestTimeout | quote }}
ADAPTERHUB_GATEWAY_CACHE_MAX_ADAPTERS: {{ $gw.adapterCache.maxAdapters | quote }}
ADAPTERHUB_GATEWAY_CACHE_MAX_BYTES: {{ $gw.adapterCache.maxBytes | int64 | toString | quote }}
ADAPTERHUB_GATEWAY_RUNTIME_DEVICE: {{ $gw.runtime.device | quote }}
ADAPTERHUB_GATEWAY_RUNTIME_DTYPE: {{ $gw.runtime.dtype | quote }}
ADAPTERHUB_GATEWAY_RUNTIME_THREADS: {{ $gw.runtime.threads | quote }}
ADAPTERHUB_GATEWAY_RUNTIME_MAX_BATCH_SIZE: {{ $gw.runtime.maxBatchSize | quote }}
ADAPTERHUB_GATEWAY_RUNTIME_MAX_QUEUED_REQUESTS: {{ $gw.runtime.maxQueuedRequests | quote }}
ADAPTERHUB_GATEWAY_RUNTIME_LORA_FUSION: {{ $gw.runtime.loraFusion | quote }}
ADAPTERHUB_GATEWAY_RUNTIME_COMPILED_STEPS: {{ $gw.runtime.compiledSteps | quote }}
ADAPTERHUB_GATEWAY_CACHE_DIR: "/var/adapterhub/cache/gateway"
# DJL unpacks libtorch (about 450 MB) here on first use; on the cache volume it survives restarts with a PVC.
DJL_CACHE_DIR: "/var/adapterhub/cache/djl"
# Without it DJL's engine start tries a telemetry call to a cloud metadata address.
DJL_OFFLINE: "true"
{{- end -}}

{{/* ---------------------------------------------------------------- transfer-service */}}

{{- define "adapterhub.transferService.fullname" -}}
{{- printf "%s-transfer-service" (include "adapterhub.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "adapterhub.transferService.labels" -}}
{{ include "adapterhub.labels" . }}
app.kubernetes.io/component: transfer-service
{{- end -}}

{{- define "adapterhub.transferService.selectorLabels" -}}
{{ include "adapterhub.selectorLabels" . }}
app.kubernetes.io/component: transfer-service
{{- end -}}

{{- define "adapterhub.transferService.serviceAccountName" -}}
{{- if .Values.transferService.serviceAccount.create -}}
{{- default (include "adapterhub.transferService.fullname" .) .Values.transferService.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.transferService.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The registry's REST base as the transfer service calls it: the explicit value, else this release's registry Service.
*/}}
{{- define "adapterhub.transferService.registryUrl" -}}
{{- if .Values.transferService.registryUrl -}}
{{- .Values.transferService.registryUrl -}}
{{- else -}}
{{- printf "http://%s:%v/api/v1" (include "adapterhub.registryService.fullname" .) .Values.registryService.service.ports.http -}}
{{- end -}}
{{- end -}}

{{/*
The transfer service's plain settings (ConfigMap data); the Deployment reads every key of it with configMapKeyRef.
*/}}
{{- define "adapterhub.transferService.config" -}}
{{- $ts := .Values.transferService -}}
QUARKUS_HTTP_PORT: {{ $ts.containerPorts.http | quote }}
ADAPTERHUB_REGISTRY_URL: {{ include "adapterhub.transferService.registryUrl" . | quote }}
KAFKA_BOOTSTRAP_SERVERS: {{ .Values.externalKafka.bootstrapServers | quote }}
ADAPTERHUB_TRANSFER_PRIORITY_ALIASES: {{ join "," $ts.priorityAliases | quote }}
{{- end -}}

{{/* ---------------------------------------------------------------- credentials */}}

{{/*
The Secret the chart creates for credentials given as plain values; it exists only when at least one is needed.
*/}}
{{- define "adapterhub.credentialsSecretName" -}}
{{- printf "%s-credentials" (include "adapterhub.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "adapterhub.createDatabaseSecret" -}}
{{- if and (not .Values.externalDatabase.existingSecret) .Values.externalDatabase.password -}}true{{- end -}}
{{- end -}}

{{- define "adapterhub.createS3Secret" -}}
{{- if and (not .Values.externalS3.existingSecret) .Values.externalS3.accessKey .Values.externalS3.secretKey -}}true{{- end -}}
{{- end -}}

{{- define "adapterhub.databaseSecretName" -}}
{{- default (include "adapterhub.credentialsSecretName" .) .Values.externalDatabase.existingSecret -}}
{{- end -}}

{{- define "adapterhub.databaseSecretPasswordKey" -}}
{{- if .Values.externalDatabase.existingSecret -}}
{{- .Values.externalDatabase.existingSecretPasswordKey -}}
{{- else -}}
db-password
{{- end -}}
{{- end -}}

{{- define "adapterhub.s3SecretName" -}}
{{- default (include "adapterhub.credentialsSecretName" .) .Values.externalS3.existingSecret -}}
{{- end -}}

{{- define "adapterhub.s3SecretAccessKeyKey" -}}
{{- if .Values.externalS3.existingSecret -}}
{{- .Values.externalS3.existingSecretAccessKeyKey -}}
{{- else -}}
s3-access-key
{{- end -}}
{{- end -}}

{{- define "adapterhub.s3SecretSecretKeyKey" -}}
{{- if .Values.externalS3.existingSecret -}}
{{- .Values.externalS3.existingSecretSecretKeyKey -}}
{{- else -}}
s3-secret-key
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- authentication */}}

{{/*
Where the JWT public keys are mounted in the registry pod when they come from auth.jwt.publicKeysSecret.
*/}}
{{- define "adapterhub.auth.jwtKeysDir" -}}
/etc/adapterhub/jwt
{{- end -}}

{{/*
"true" when the registry mounts auth.jwt.publicKeysSecret (auth on, an issuer, and the keys from a Secret).
*/}}
{{- define "adapterhub.auth.mountJwtKeys" -}}
{{- $auth := .Values.auth -}}
{{- if and (not $auth.disabled) $auth.jwt.issuer $auth.jwt.publicKeysSecret -}}true{{- end -}}
{{- end -}}

{{/*
ADAPTERHUB_SECURITY_JWT_PUBLIC_KEY_LOCATION: the mounted file, else the URL.
*/}}
{{- define "adapterhub.auth.jwtPublicKeyLocation" -}}
{{- $jwt := .Values.auth.jwt -}}
{{- if $jwt.publicKeysSecret -}}
{{- printf "%s/%s" (include "adapterhub.auth.jwtKeysDir" .) $jwt.publicKeysSecretKey -}}
{{- else -}}
{{- $jwt.publicKeyUrl -}}
{{- end -}}
{{- end -}}

{{/*
The registry's API-key env entries, all from auth.existingSecret; nothing with auth.disabled. The key of a component
that this release does not deploy is optional, so a Secret without it still starts the registry.
*/}}
{{- define "adapterhub.registryService.authEnv" -}}
{{- if not .Values.auth.disabled -}}
{{- $secret := .Values.auth.existingSecret -}}
{{- $entries := list
      (list "ADAPTERHUB_SECURITY_ADMIN_KEYS" "admin-keys" true)
      (list "ADAPTERHUB_SECURITY_WORKER_KEYS" "worker-key" .Values.trainingWorker.enabled)
      (list "ADAPTERHUB_SECURITY_GATEWAY_KEYS" "gateway-key" .Values.servingGateway.enabled)
      (list "ADAPTERHUB_SECURITY_TRANSFER_KEYS" "transfer-key" .Values.transferService.enabled) -}}
{{- range $entries }}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ index . 1 }}
      {{- if not (index . 2) }}
      optional: true
      {{- end }}
{{- end }}
{{- end -}}
{{- end -}}

{{/*
The registry's webhook encryption keys: ADAPTERHUB_WEBHOOKS_ENCRYPTION_KEYS from the key webhook-encryption-keys of
auth.existingSecret, optional (without it the registry refuses to create webhooks, 503, and runs otherwise). Rendered
whenever auth.existingSecret is set, also with auth.disabled (webhooks do not depend on authentication); nothing
without it.
*/}}
{{- define "adapterhub.registryService.webhooksEnv" -}}
{{- with .Values.auth.existingSecret -}}
- name: ADAPTERHUB_WEBHOOKS_ENCRYPTION_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: webhook-encryption-keys
      optional: true
{{- end -}}
{{- end -}}

{{/*
A service's own registry credential: ADAPTERHUB_REGISTRY_API_KEY from its key in auth.existingSecret; nothing with
auth.disabled. Call with (dict "key" "worker-key" "context" $).
*/}}
{{- define "adapterhub.registryApiKeyEnv" -}}
{{- if not .context.Values.auth.disabled -}}
- name: ADAPTERHUB_REGISTRY_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .context.Values.auth.existingSecret }}
      key: {{ .key }}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------- validation */}}

{{/*
Fails the install with every problem at once, so a user fixes their values in one round.
*/}}
{{- define "adapterhub.validateValues" -}}
{{- $messages := list -}}
{{- $messages = append $messages (include "adapterhub.validateValues.database" .) -}}
{{- $messages = append $messages (include "adapterhub.validateValues.kafka" .) -}}
{{- $messages = append $messages (include "adapterhub.validateValues.s3" .) -}}
{{- $messages = append $messages (include "adapterhub.validateValues.auth" .) -}}
{{- $messages = append $messages (include "adapterhub.validateValues.jwt" .) -}}
{{- $messages = append $messages (include "adapterhub.validateValues.ingress" .) -}}
{{- $messages = append $messages (include "adapterhub.validateValues.pdb" .) -}}
{{- $messages = without $messages "" -}}
{{- $message := join "\n" $messages -}}
{{- if $message -}}
{{- printf "\nVALUES VALIDATION:\n%s" $message | fail -}}
{{- end -}}
{{- end -}}

{{- define "adapterhub.validateValues.database" -}}
{{- $db := .Values.externalDatabase -}}
{{- if not $db.jdbcUrl -}}
adapterhub: externalDatabase.jdbcUrl
    The PostgreSQL JDBC URL is required. Set it, e.g.
    --set externalDatabase.jdbcUrl=jdbc:postgresql://HOST:5432/adapterhub
{{- else if not (hasPrefix "jdbc:postgresql://" $db.jdbcUrl) -}}
adapterhub: externalDatabase.jdbcUrl
    "{{ $db.jdbcUrl }}" is not a PostgreSQL JDBC URL; it must start with jdbc:postgresql://
{{- else if not (or $db.existingSecret $db.password) -}}
adapterhub: externalDatabase.existingSecret
    The database password is required. Put it in a Secret and set
    externalDatabase.existingSecret (key: externalDatabase.existingSecretPasswordKey),
    or set externalDatabase.password and the chart creates the Secret.
{{- end -}}
{{- end -}}

{{- define "adapterhub.validateValues.kafka" -}}
{{- if not .Values.externalKafka.bootstrapServers -}}
adapterhub: externalKafka.bootstrapServers
    The Kafka bootstrap servers are required. Set them, e.g.
    --set externalKafka.bootstrapServers=kafka-bootstrap.kafka.svc:9092
{{- end -}}
{{- end -}}

{{- define "adapterhub.validateValues.s3" -}}
{{- $s3 := .Values.externalS3 -}}
{{- if not $s3.endpoint -}}
adapterhub: externalS3.endpoint
    The S3 endpoint is required. Set it, e.g.
    --set externalS3.endpoint=http://minio.storage.svc:9000
{{- else if not (or $s3.existingSecret (and $s3.accessKey $s3.secretKey)) -}}
adapterhub: externalS3.existingSecret
    S3 credentials are required. Put them in a Secret and set externalS3.existingSecret
    (keys: externalS3.existingSecretAccessKeyKey, externalS3.existingSecretSecretKeyKey),
    or set both externalS3.accessKey and externalS3.secretKey and the chart creates the Secret.
{{- end -}}
{{- end -}}

{{/*
Helm never installs an open registry silently: without keys it refuses unless auth.disabled=true says so.
*/}}
{{- define "adapterhub.validateValues.auth" -}}
{{- if and (not .Values.auth.disabled) (not .Values.auth.existingSecret) -}}
adapterhub: auth.existingSecret
    Authentication needs API keys. Create a Secret with the keys admin-keys, worker-key,
    gateway-key and transfer-key (see the chart README) and set auth.existingSecret to its name.
    Only for a throwaway sandbox: set auth.disabled=true to run the registry open to anyone who reaches it.
{{- end -}}
{{- end -}}

{{- define "adapterhub.validateValues.jwt" -}}
{{- $auth := .Values.auth -}}
{{- $jwt := $auth.jwt -}}
{{- if not $auth.disabled -}}
{{- if and $jwt.publicKeysSecret $jwt.publicKeyUrl -}}
adapterhub: auth.jwt
    Set only one of auth.jwt.publicKeysSecret and auth.jwt.publicKeyUrl.
{{- else if and $jwt.issuer (not (or $jwt.publicKeysSecret $jwt.publicKeyUrl)) -}}
adapterhub: auth.jwt.issuer
    JWTs need the issuer's public keys: set auth.jwt.publicKeysSecret (a Secret holding a JWKS or PEM,
    key auth.jwt.publicKeysSecretKey) or auth.jwt.publicKeyUrl.
{{- else if and (not $jwt.issuer) (or $jwt.publicKeysSecret $jwt.publicKeyUrl $jwt.audience) -}}
adapterhub: auth.jwt.issuer
    auth.jwt public keys or audience are set but auth.jwt.issuer is empty; the registry refuses every JWT
    without an issuer. Set auth.jwt.issuer, or leave auth.jwt empty to accept API keys only.
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "adapterhub.validateValues.ingress" -}}
{{- if and .Values.registryService.ingress.enabled (not .Values.registryService.ingress.hostname) -}}
adapterhub: registryService.ingress.hostname
    The Ingress is enabled but has no host name; set registryService.ingress.hostname.
{{- end -}}
{{- end -}}

{{- define "adapterhub.validateValues.pdb" -}}
{{- $pdb := .Values.registryService.pdb -}}
{{- if and $pdb.create (not (eq (toString $pdb.minAvailable) "")) (not (eq (toString $pdb.maxUnavailable) "")) -}}
adapterhub: registryService.pdb
    Set only one of registryService.pdb.minAvailable and registryService.pdb.maxUnavailable.
{{- end -}}
{{- end -}}
