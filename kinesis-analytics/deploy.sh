#!/usr/bin/env bash
# Deploys tidings to Amazon Managed Service for Apache Flink with the AWS CLI:
#   1. the stack's bucket, Glue database, secret, role and logs (CreateApplication=false),
#   2. the application jar uploaded to the bucket,
#   3. the X bearer token put into the secret (only if X_BEARER_TOKEN is set; never printed),
#   4. the Glue tables (glue module),
#   5. the Athena views and named queries in the stack's workgroup (bin/tidings athena setup),
#   6. the application itself (CreateApplication=true), then started,
#   7. with --quicksight: the QuickSight data source, data sets and dashboard (stack NAME-quicksight).
# Usage: kinesis-analytics/deploy.sh [--stack NAME] [--region REGION] [--x-rule 'name=rule'] [--model s3://...]
#        [--parallelism N] [--no-start] [--quicksight QUICKSIGHT_USER_OR_GROUP_ARN]
# Needs: aws CLI v2 with credentials, Java 17, and `mvn package` done (it builds if the jar is missing).
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
template="$home/kinesis-analytics/cloudformation/tidings.yaml"
quicksight_template="$home/kinesis-analytics/cloudformation/quicksight.yaml"
jar="$home/kinesis-analytics/target/tidings-kinesis-analytics-flink.jar"
stack="tidings"
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
x_rule=""
model=""
parallelism="2"
start="yes"
quicksight_principal=""

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --stack) stack="$2"; shift 2 ;;
    --region) region="$2"; shift 2 ;;
    --x-rule) x_rule="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --parallelism) parallelism="$2"; shift 2 ;;
    --no-start) start="no"; shift ;;
    --quicksight) quicksight_principal="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [[ -z "$region" ]]; then
  echo "deploy.sh: set --region or AWS_REGION" >&2
  exit 2
fi
aws_() {
  aws --region "$region" "$@"
}

if [[ ! -f "$jar" ]]; then
  echo "deploy.sh: building the application jar (mvn package)..." >&2
  (cd "$home" && mvn -q -B package -DskipTests -pl kinesis-analytics -am)
fi

deploy_stack() {
  local create_application="$1"
  aws_ cloudformation deploy \
    --stack-name "$stack" \
    --template-file "$template" \
    --capabilities CAPABILITY_IAM \
    --no-fail-on-empty-changeset \
    --parameter-overrides \
      "ApplicationName=$stack" \
      "CreateApplication=$create_application" \
      "Parallelism=$parallelism" \
      "XRule=$x_rule" \
      "ModelS3Uri=$model"
}

output() {
  aws_ cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

echo "deploy.sh: 1/7 bucket, catalog, secret, role, logs" >&2
deploy_stack false
bucket="$(output BucketName)"
lake="$(output LakeUri)"
database="$(output GlueDatabase)"
workgroup="$(output AthenaWorkGroup)"
secret="$(output XBearerTokenSecretArn)"

echo "deploy.sh: 2/7 uploading $(basename "$jar") to s3://$bucket/artifacts/" >&2
aws_ s3 cp "$jar" "s3://$bucket/artifacts/tidings-kinesis-analytics-flink.jar" --only-show-errors

if [[ -n "${X_BEARER_TOKEN:-}" ]]; then
  echo "deploy.sh: 3/7 storing the X bearer token in the stack's secret" >&2
  aws_ secretsmanager put-secret-value --secret-id "$secret" --secret-string "$X_BEARER_TOKEN" >/dev/null
else
  echo "deploy.sh: 3/7 X_BEARER_TOKEN not set; the secret keeps its current value" >&2
fi

echo "deploy.sh: 4/7 Glue tables posts_all, entities_all, tombstones and views posts, entities in $database" >&2
glue_jar="$home/glue/target/tidings-glue.jar"
if [[ -f "$glue_jar" ]]; then
  java -cp "$glue_jar:$home/glue/target/lib/*" io.tidings.glue.GlueCatalogCli create-tables \
    --region "$region" --database "$database" --lake "$lake"
else
  echo "deploy.sh: $glue_jar missing (mvn package); skipping the tables" >&2
fi

echo "deploy.sh: 5/7 Athena views and named queries in workgroup $workgroup" >&2
"$home/bin/tidings" athena setup --region "$region" --workgroup "$workgroup" --database "$database"

echo "deploy.sh: 6/7 the application" >&2
deploy_stack true
if [[ "$start" == "yes" ]]; then
  status="$(aws_ kinesisanalyticsv2 describe-application --application-name "$stack" \
    --query ApplicationDetail.ApplicationStatus --output text)"
  if [[ "$status" == "READY" ]]; then
    aws_ kinesisanalyticsv2 start-application --application-name "$stack" \
      --run-configuration '{"ApplicationRestoreConfiguration": {"ApplicationRestoreType": "RESTORE_FROM_LATEST_SNAPSHOT"}}'
    echo "deploy.sh: starting $stack (status: aws kinesisanalyticsv2 describe-application --application-name $stack)" >&2
  else
    echo "deploy.sh: $stack is $status; not starting it" >&2
  fi
fi
if [[ -n "$quicksight_principal" ]]; then
  echo "deploy.sh: 7/7 QuickSight data source, data sets and dashboard (stack $stack-quicksight)" >&2
  aws_ cloudformation deploy \
    --stack-name "$stack-quicksight" \
    --template-file "$quicksight_template" \
    --capabilities CAPABILITY_NAMED_IAM \
    --no-fail-on-empty-changeset \
    --parameter-overrides \
      "LakeBucketName=$bucket" \
      "GlueDatabaseName=$database" \
      "AthenaWorkGroupName=$workgroup" \
      "QuickSightPrincipalArn=$quicksight_principal" \
      "ResourcePrefix=$stack"
  echo "deploy.sh: dashboard $(aws_ cloudformation describe-stacks --stack-name "$stack-quicksight" \
    --query "Stacks[0].Outputs[?OutputKey=='DashboardUrl'].OutputValue" --output text)" >&2
else
  echo "deploy.sh: 7/7 no --quicksight: QuickSight left alone" >&2
fi
echo "deploy.sh: lake $lake, input $(output InputUri), Glue database $database" >&2
