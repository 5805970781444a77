{{/*
Expand the name of the chart.
*/}}
{{- define "customer-profiles-api.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "customer-profiles-api.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "customer-profiles-api.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "customer-profiles-api.labels" -}}
helm.sh/chart: {{ include "customer-profiles-api.chart" . }}
{{ include "customer-profiles-api.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
northwind.io/team: profiles
{{- end }}

{{/*
Selector labels
*/}}
{{- define "customer-profiles-api.selectorLabels" -}}
app.kubernetes.io/name: {{ include "customer-profiles-api.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "customer-profiles-api.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "customer-profiles-api.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Refuse to render if the primary datasource points at the archive (INC-4471: a copy-pasted
values file sent writes to the read-only archive and every PUT failed for 40 minutes).
*/}}
{{- define "customer-profiles-api.validateDatabase" -}}
{{- if contains "archive" .Values.database.host }}
{{- fail "database.host points at customer_profiles_archive; the API must use the primary customer_profiles database" }}
{{- end }}
{{- end }}
