#!/usr/bin/env bash
# Deploys tidings to Amazon Managed Service for Apache Flink with the AWS CLI, or updates it in place:
#   1. a new stack: the bucket, Glue database, secret, role and logs (CreateApplication=false) and the stack
#      policy that forbids any update to remove or replace the application; an existing stack: nothing yet,
#   2. the application jar uploaded under a key named by its SHA-256 (a new build is a new key),
#   3. the X bearer token put into the secret (only if X_BEARER_TOKEN is set; never printed),
#   4. the Glue tables (glue module; partition projection from --first-day, else from the lake's data),
#   5. the Athena views and named queries in the stack's workgroup (bin/tidings athena setup),
#   6. the application created, or updated in place to the new jar (restarting from its latest snapshot),
#      then started if it is not running,
#   7. with --quicksight: the QuickSight data source, data sets and dashboard (stack NAME-quicksight).
# Settings not given keep the stack's current values (defaults on a new stack). A change that would remove or
# replace the application is shown and not executed.
# Usage: kinesis-analytics/deploy.sh [--stack NAME] [--region REGION] [--x-rule 'name=rule'] [--model s3://...]
#        [--parallelism N] [--first-day YYYY-MM-DD] [--no-start] [--quicksight QUICKSIGHT_USER_OR_GROUP_ARN]
# Needs: aws CLI v2 with credentials, Java 17, and `mvn package` done (it builds what it runs if missing).
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
template="$home/kinesis-analytics/cloudformation/tidings.yaml"
stack_policy="$home/kinesis-analytics/cloudformation/tidings-stack-policy.json"
quicksight_template="$home/kinesis-analytics/cloudformation/quicksight.yaml"
jar="$home/kinesis-analytics/target/tidings-kinesis-analytics-flink.jar"
glue_jar="$home/glue/target/tidings-glue.jar"
stack="tidings"
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
# Stack parameters given on the command line, as KEY=VALUE; every other parameter keeps its current value.
given=()
first_day=""
start="yes"
quicksight_principal=""

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --stack) stack="$2"; shift 2 ;;
    --region) region="$2"; shift 2 ;;
    --x-rule) given+=("XRule=$2"); shift 2 ;;
    --model) given+=("ModelS3Uri=$2"); shift 2 ;;
    --parallelism) given+=("Parallelism=$2"); shift 2 ;;
    --first-day) first_day="$2"; shift 2 ;;
    --no-start) start="no"; shift ;;
    --quicksight) quicksight_principal="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [[ -n "$first_day" && ! "$first_day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  echo "deploy.sh: --first-day takes YYYY-MM-DD, not '$first_day'" >&2
  exit 2
fi
if [[ -z "$region" ]]; then
  echo "deploy.sh: set --region or AWS_REGION" >&2
  exit 2
fi
aws_() {
  aws --region "$region" "$@"
}
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT

# The value given for a stack parameter on the command line; fails when it was not given.
given_value() {
  local key="$1" entry
  for entry in ${given[@]+"${given[@]}"}; do
    if [[ "${entry%%=*}" == "$key" ]]; then
      printf '%s' "${entry#*=}"
      return 0
    fi
  done
  return 1
}

# Everything the script runs: the application jar, the glue CLI (step 4) and bin/tidings (step 5, the job jar).
needs_build=""
for built in "$jar" "$glue_jar" "$home/glue/target/lib" "$home/job/target/tidings-job.jar" \
    "$home/job/target/lib" "$home/job/target/plugins"; do
  [[ -e "$built" ]] || needs_build="$built"
done
if [[ -n "$needs_build" ]]; then
  echo "deploy.sh: $needs_build missing; building (mvn package -pl kinesis-analytics,glue -am)..." >&2
  (cd "$home" && mvn -q -B package -DskipTests -pl kinesis-analytics,glue -am)
  for built in "$jar" "$glue_jar"; do
    [[ -f "$built" ]] || { echo "deploy.sh: the build did not produce $built" >&2; exit 1; }
  done
fi

# ---- where the stack stands ----------------------------------------------------------------------------
stack_status=""
if ! stack_status="$(aws_ cloudformation describe-stacks --stack-name "$stack" \
    --query 'Stacks[0].StackStatus' --output text 2>"$errors")"; then
  if ! grep -q "does not exist" "$errors"; then
    cat "$errors" >&2
    exit 1
  fi
  stack_status=""
fi
case "$stack_status" in
  ""|REVIEW_IN_PROGRESS) stack_exists="no" ;;
  CREATE_COMPLETE|UPDATE_COMPLETE|UPDATE_ROLLBACK_COMPLETE|IMPORT_COMPLETE|IMPORT_ROLLBACK_COMPLETE) stack_exists="yes" ;;
  ROLLBACK_COMPLETE|ROLLBACK_FAILED)
    echo "deploy.sh: stack $stack failed to create ($stack_status); delete it (aws cloudformation delete-stack --stack-name $stack) and rerun" >&2
    exit 1 ;;
  *)
    echo "deploy.sh: stack $stack is $stack_status; rerun when it is done" >&2
    exit 1 ;;
esac

stack_parameter() {
  aws_ cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Parameters[?ParameterKey=='$1'].ParameterValue" --output text
}
output() {
  aws_ cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

# The X rules the application will run with: the ones given, else the stack's current ones. With rules the
# job reads its token from the stack's secret at start; an empty secret makes it fail and restart forever.
if x_rule="$(given_value XRule)"; then :; elif [[ "$stack_exists" == "yes" ]]; then x_rule="$(stack_parameter XRule)"; else x_rule=""; fi
if [[ -n "$x_rule" && -z "${X_BEARER_TOKEN:-}" ]]; then
  if [[ "$stack_exists" == "no" ]]; then
    echo "deploy.sh: --x-rule needs the X bearer token: set X_BEARER_TOKEN (the new stack's secret has no value)" >&2
    exit 1
  fi
  secret="$(output XBearerTokenSecretArn)"
  # shellcheck disable=SC2016 # the backticks are JMESPath literals, not command substitution
  has_value="$(aws_ secretsmanager describe-secret --secret-id "$secret" \
    --query 'contains(values(VersionIdsToStages || `{}`)[], `"AWSCURRENT"`)' --output text)"
  if [[ "$has_value" != "True" ]]; then
    echo "deploy.sh: X rules are set ('$x_rule') but the secret $secret has no value: set X_BEARER_TOKEN" >&2
    echo "deploy.sh: (or --x-rule '' for files only); nothing was changed" >&2
    exit 1
  fi
fi

# ---- stack updates through change sets ----------------------------------------------------------------
template_parameters() {
  awk '/^Parameters:/ { inside = 1; next } /^[^ #]/ { inside = 0 }
       inside && /^  [A-Za-z0-9]+:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' "$template"
}
json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

change_sets=0
# Creates a change set of the template with the parameters given here (KEY=VALUE arguments, then those
# of the command line) and UsePreviousValue for every other parameter the stack has, so a rerun never
# resets what it was not told to change. It is executed only if it removes and replaces no application.
change_stack() {
  local type="$1" change_set key value previous=" " json="" danger reason
  shift
  change_sets=$((change_sets + 1))
  change_set="deploy-$(date -u +%Y%m%d%H%M%S)-$change_sets"
  if [[ "$type" == "UPDATE" ]]; then
    previous=" $(aws_ cloudformation describe-stacks --stack-name "$stack" \
      --query 'Stacks[0].Parameters[].ParameterKey' --output text | tr '\t' ' ') "
  fi
  for key in $(template_parameters); do
    value=""
    local found="no" entry
    for entry in "$@" ${given[@]+"${given[@]}"}; do
      if [[ "${entry%%=*}" == "$key" ]]; then value="${entry#*=}"; found="yes"; fi
    done
    if [[ "$found" == "yes" ]]; then
      json+="${json:+,}{\"ParameterKey\":\"$key\",\"ParameterValue\":$(json_string "$value")}"
    elif [[ "$previous" == *" $key "* ]]; then
      json+="${json:+,}{\"ParameterKey\":\"$key\",\"UsePreviousValue\":true}"
    fi
  done
  aws_ cloudformation create-change-set --stack-name "$stack" --change-set-name "$change_set" \
    --change-set-type "$type" --template-body "file://$template" --capabilities CAPABILITY_IAM \
    --parameters "[$json]" >/dev/null
  if ! aws_ cloudformation wait change-set-create-complete --stack-name "$stack" --change-set-name "$change_set" 2>/dev/null; then
    reason="$(aws_ cloudformation describe-change-set --stack-name "$stack" --change-set-name "$change_set" \
      --query StatusReason --output text)"
    if [[ "$reason" == *"didn't contain changes"* || "$reason" == *"No updates are to be performed"* ]]; then
      aws_ cloudformation delete-change-set --stack-name "$stack" --change-set-name "$change_set"
      echo "deploy.sh: stack $stack is up to date" >&2
      return 0
    fi
    echo "deploy.sh: change set $change_set of $stack failed: $reason" >&2
    exit 1
  fi
  danger="$(aws_ cloudformation describe-change-set --stack-name "$stack" --change-set-name "$change_set" \
    --query "Changes[?ResourceChange.ResourceType=='AWS::KinesisAnalyticsV2::Application' && (ResourceChange.Action=='Remove' || ResourceChange.Replacement=='True' || ResourceChange.Replacement=='Conditional')].[ResourceChange.LogicalResourceId, ResourceChange.Action, ResourceChange.Replacement]" \
    --output text)"
  if [[ -n "$danger" ]]; then
    echo "deploy.sh: change set $change_set would remove or replace the application ($danger): its snapshots" >&2
    echo "deploy.sh: would be lost and every input file read again. Not executed; inspect it with" >&2
    echo "  aws --region $region cloudformation describe-change-set --stack-name $stack --change-set-name $change_set" >&2
    exit 1
  fi
  aws_ cloudformation execute-change-set --stack-name "$stack" --change-set-name "$change_set"
  if ! aws_ cloudformation wait "stack-$(tr '[:upper:]' '[:lower:]' <<<"$type")-complete" --stack-name "$stack"; then
    echo "deploy.sh: $type of stack $stack failed: aws --region $region cloudformation describe-stack-events --stack-name $stack" >&2
    exit 1
  fi
}

jar_key="artifacts/tidings-kinesis-analytics-flink-$( (sha256sum "$jar" 2>/dev/null || shasum -a 256 "$jar") | cut -d' ' -f1).jar"

if [[ "$stack_exists" == "no" ]]; then
  echo "deploy.sh: 1/7 new stack $stack: bucket, catalog, secret, role, logs" >&2
  # Names of things that must not collide with another stack's in the account; set once, kept after.
  database="$(printf '%s' "$stack" | tr '[:upper:]-' '[:lower:]_')"
  change_stack CREATE "ApplicationName=$stack" "GlueDatabaseName=$database" "CreateApplication=false" "JarKey=$jar_key"
elif [[ "$(stack_parameter CreateApplication)" != "true" ]]; then
  echo "deploy.sh: 1/7 stack $stack has no application yet: bucket, catalog, secret, role, logs" >&2
  change_stack UPDATE "CreateApplication=false" "JarKey=$jar_key"
else
  echo "deploy.sh: 1/7 stack $stack exists with its application: updated in step 6" >&2
fi
aws_ cloudformation set-stack-policy --stack-name "$stack" --stack-policy-body "file://$stack_policy"
bucket="$(output BucketName)"
lake="$(output LakeUri)"
database="$(output GlueDatabase)"
workgroup="$(output AthenaWorkGroup)"
secret="$(output XBearerTokenSecretArn)"

if aws_ s3api head-object --bucket "$bucket" --key "$jar_key" >/dev/null 2>&1; then
  echo "deploy.sh: 2/7 s3://$bucket/$jar_key is there already (same build)" >&2
else
  echo "deploy.sh: 2/7 uploading $(basename "$jar") to s3://$bucket/$jar_key" >&2
  aws_ s3 cp "$jar" "s3://$bucket/$jar_key" --only-show-errors
fi

if [[ -n "${X_BEARER_TOKEN:-}" ]]; then
  echo "deploy.sh: 3/7 storing the X bearer token in the stack's secret" >&2
  aws_ secretsmanager put-secret-value --secret-id "$secret" --secret-string "$X_BEARER_TOKEN" >/dev/null
else
  echo "deploy.sh: 3/7 X_BEARER_TOKEN not set; the secret keeps its current value" >&2
fi

echo "deploy.sh: 4/7 Glue tables posts_all, entities_all, tombstones and views posts, entities in $database" >&2
java -cp "$glue_jar:$home/glue/target/lib/*" io.tidings.glue.GlueCatalogCli create-tables \
  --region "$region" --database "$database" --lake "$lake" ${first_day:+--first-day "$first_day"}

echo "deploy.sh: 5/7 Athena views and named queries in workgroup $workgroup" >&2
"$home/bin/tidings" athena setup --region "$region" --workgroup "$workgroup" --database "$database"

echo "deploy.sh: 6/7 the application (jar $jar_key)" >&2
change_stack UPDATE "CreateApplication=true" "JarKey=$jar_key"
application="$(output ApplicationName)"
if [[ "$start" == "yes" ]]; then
  status="$(aws_ kinesisanalyticsv2 describe-application --application-name "$application" \
    --query ApplicationDetail.ApplicationStatus --output text)"
  if [[ "$status" == "READY" ]]; then
    aws_ kinesisanalyticsv2 start-application --application-name "$application" \
      --run-configuration '{"ApplicationRestoreConfiguration": {"ApplicationRestoreType": "RESTORE_FROM_LATEST_SNAPSHOT"}}'
    echo "deploy.sh: starting $application (status: aws kinesisanalyticsv2 describe-application --application-name $application)" >&2
  else
    echo "deploy.sh: $application is $status; not starting it" >&2
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
