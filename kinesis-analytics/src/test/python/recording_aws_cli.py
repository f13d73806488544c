"""A recording stand-in for the AWS CLI (and for `java` and `mvn`) that deploy.sh is run against in
DeployScriptTest: every call is appended to $FAKE_AWS_LOG as one JSON line, and the answers come from a
small model of the account kept in $FAKE_AWS_STATE (JSON).

What it models, and where each rule comes from:
- CloudFormation change sets: parameters resolve as CreateChangeSet does (a given value, UsePreviousValue,
  or the template's Default; UsePreviousValue on a new stack or on a parameter the stack does not have is a
  ValidationError); a change set that changes nothing FAILs with "didn't contain changes".
- `cloudformation deploy` as the AWS CLI implements it (awscli/customizations/cloudformation/deployer.py):
  every template parameter not overridden is sent with UsePreviousValue on an update.
- The AWS::KinesisAnalyticsV2::Application of the template: it exists while its Condition (if any) holds;
  a change of ApplicationName replaces it (delete + create: the snapshots are gone); a change of its code
  location (FileKey, ObjectVersion) updates its code in place (a new version, restored from its latest
  snapshot); the same code location is no code update.
- Stack policies: a Deny of Update:Delete / Update:Replace on LogicalResourceId/Application makes an update
  that would remove or replace it fail, leaving everything as it was.
- `--query` is real JMESPath, `--output text|json` formats as the CLI does for the shapes deploy.sh reads.

It is not CloudFormation: resources other than the application are not modelled, and a changed template is
seen only through the application's resolved properties.
"""
import hashlib
import json
import os
import re
import sys

import jmespath
import yaml

ACCOUNT = "123456789012"


# ---------------------------------------------------------------- the template

class _Loader(yaml.SafeLoader):
    pass


def _tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Ref" if suffix == "Ref" else "Fn::" + suffix: value}


_Loader.add_multi_constructor("!", _tag)


def load_template(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return text, yaml.load(text, Loader=_Loader)


def resolve(value, params, conditions, template):
    """Ref/Sub/If/Equals/Not/Select/Split/GetAtt over parameters; other resources resolve to a placeholder."""
    if isinstance(value, list):
        return [resolve(v, params, conditions, template) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (key, arg), = value.items()
        if key == "Ref":
            if arg in params:
                return params[arg]
            if arg == "AWS::NoValue":
                return None
            if arg.startswith("AWS::"):
                return {"AWS::Region": "eu-west-1", "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws"}.get(arg, arg)
            return "<" + arg + ">"
        if key == "Fn::GetAtt":
            return "<" + ".".join(arg) + ">"
        if key == "Fn::Sub":
            text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            extra = {k: resolve(v, params, conditions, template) for k, v in extra.items()}

            def sub(m):
                name = m.group(1)
                if name in extra:
                    return str(extra[name])
                if "." in name:
                    return "<" + name + ">"
                return str(resolve({"Ref": name}, params, conditions, template))
            return re.sub(r"\$\{([^}]+)\}", sub, text)
        if key == "Fn::If":
            name, yes, no = arg
            return resolve(yes if conditions[name] else no, params, conditions, template)
        if key == "Fn::Equals":
            a, b = resolve(arg, params, conditions, template)
            return str(a) == str(b)
        if key == "Fn::Not":
            return not resolve(arg[0], params, conditions, template)
        if key == "Condition":
            return conditions[arg]
        if key == "Fn::Select":
            index, items = resolve(arg, params, conditions, template)
            return items[int(index)]
        if key == "Fn::Split":
            sep, text = resolve(arg, params, conditions, template)
            return str(text).split(sep)
    return {k: resolve(v, params, conditions, template) for k, v in value.items()}


def conditions_of(template, params):
    conditions = {}
    for name, expression in (template.get("Conditions") or {}).items():
        conditions[name] = resolve(expression, params, conditions, template)
    return conditions


def application_of(template, params):
    """The resolved properties of the template's Managed Flink application, or None when it is not created."""
    conditions = conditions_of(template, params)
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] == "AWS::KinesisAnalyticsV2::Application":
            if "Condition" in resource and not conditions[resource["Condition"]]:
                return None
            properties = resolve(resource["Properties"], params, conditions, template)
            return {"LogicalId": logical_id, "Properties": properties}
    return None


def code_location(application):
    code = application["Properties"]["ApplicationConfiguration"]["ApplicationCodeConfiguration"]
    return code["CodeContent"]["S3ContentLocation"]


# ---------------------------------------------------------------- state and output

def load_state():
    path = os.environ["FAKE_AWS_STATE"]
    if not os.path.exists(path):
        return {"stacks": {}, "objects": {}, "secrets": {}, "applications": {}, "events": []}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def save_state(state):
    with open(os.environ["FAKE_AWS_STATE"], "w", encoding="utf-8") as f:
        json.dump(state, f, indent=1)


def fail(operation, code, message, exit_code=254):
    sys.stderr.write(f"\nAn error occurred ({code}) when calling the {operation} operation: {message}\n")
    sys.exit(exit_code)


def text_of(value):
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, list):
        return "\t".join(text_of(v) for v in value)
    if isinstance(value, dict):
        return "\t".join(text_of(v) for v in value.values())
    return str(value)


def answer(response, options):
    query = options.get("query")
    if query:
        response = jmespath.search(query[0], response)
    if options.get("output", ["json"])[0] == "text":
        print(text_of(response))
    else:
        print(json.dumps(response, indent=4))


def parse(args):
    """--name value [value...] pairs (values until the next --option); bare flags get []."""
    positional, options, i = [], {}, 0
    while i < len(args):
        if args[i].startswith("--"):
            name, values = args[i][2:], []
            i += 1
            while i < len(args) and not args[i].startswith("--"):
                values.append(args[i])
                i += 1
            options[name] = values
        else:
            positional.append(args[i])
            i += 1
    return positional, options


def read_value(value):
    if value.startswith("file://"):
        with open(value[len("file://"):], encoding="utf-8") as f:
            return f.read()
    return value


# ---------------------------------------------------------------- CloudFormation

def bucket_of(stack):
    return f"{stack.lower()}-lakebucket-1a2b3c4d"


def outputs_of(stack_name, stack):
    params = stack["Parameters"]
    app_name = params["ApplicationName"]
    bucket = bucket_of(stack_name)
    outputs = {
        "BucketName": bucket,
        "LakeUri": f"s3://{bucket}/{params['LakePrefix']}",
        "InputUri": f"s3://{bucket}/{params['InputPrefix']}/",
        "GlueDatabase": params["GlueDatabaseName"],
        "AthenaWorkGroup": app_name,
        "XBearerTokenSecretArn": secret_arn(app_name),
        "LogGroupName": f"/aws/kinesis-analytics/{app_name}",
        "ServiceRoleArn": f"arn:aws:iam::{ACCOUNT}:role/{stack_name}-ServiceRole-XYZ",
    }
    if stack.get("Application"):
        outputs["ApplicationName"] = stack["Application"]["Properties"]["ApplicationName"]
    return [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()]


def secret_arn(app_name):
    return f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:{app_name}/x-bearer-token-AbCdEf"


def parameter_list(values):
    """--parameters ParameterKey=K,ParameterValue=V ParameterKey=K,UsePreviousValue=true ..."""
    parsed = []
    for value in values:
        if value.startswith("["):
            parsed.extend(json.loads(value))
            continue
        item = {}
        for part in re.split(r",(?=ParameterKey=|ParameterValue=|UsePreviousValue=)", value):
            key, _, val = part.partition("=")
            item[key] = (val.lower() == "true") if key == "UsePreviousValue" else val
        parsed.append(item)
    return parsed


def effective_parameters(template, given, stack, operation):
    declared = template.get("Parameters") or {}
    params = {}
    for item in given:
        key = item["ParameterKey"]
        if key not in declared:
            fail(operation, "ValidationError", f"Parameters: [{key}] do not exist in the template")
        if item.get("UsePreviousValue"):
            if stack is None or key not in stack["Parameters"]:
                fail(operation, "ValidationError", f"Invalid input for parameter key {key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template")
            params[key] = stack["Parameters"][key]
        else:
            params[key] = item.get("ParameterValue", "")
    for key, spec in declared.items():
        if key not in params:
            if "Default" not in spec:
                fail(operation, "ValidationError", f"Parameters: [{key}] must have values")
            params[key] = str(spec["Default"])
    for key, spec in declared.items():
        allowed = spec.get("AllowedValues")
        if allowed and params[key] not in [str(a) for a in allowed]:
            fail(operation, "ValidationError", f"Parameter '{key}' must be one of AllowedValues")
        pattern = spec.get("AllowedPattern")
        if pattern and not re.fullmatch(pattern, params[key]):
            fail(operation, "ValidationError", f"Parameter '{key}' must match pattern {pattern}")
    return params


def application_changes(old_app, new_app):
    if old_app is None and new_app is None:
        return []
    logical = (new_app or old_app)["LogicalId"]
    change = {"Type": "Resource", "ResourceChange": {"LogicalResourceId": logical,
              "ResourceType": "AWS::KinesisAnalyticsV2::Application"}}
    rc = change["ResourceChange"]
    if old_app is None:
        rc["Action"] = "Add"
    elif new_app is None:
        rc["Action"] = "Remove"
    elif old_app["Properties"] == new_app["Properties"]:
        return []
    else:
        rc["Action"] = "Modify"
        replaced = old_app["Properties"]["ApplicationName"] != new_app["Properties"]["ApplicationName"]
        rc["Replacement"] = "True" if replaced else "False"
    return [change]


def create_change_set(state, options, operation="CreateChangeSet"):
    stack_name = options["stack-name"][0]
    change_set_type = options.get("change-set-type", ["UPDATE"])[0]
    stack = state["stacks"].get(stack_name)
    if change_set_type == "CREATE" and stack is not None and stack["StackStatus"] != "REVIEW_IN_PROGRESS":
        fail(operation, "AlreadyExistsException", f"Stack [{stack_name}] already exists")
    if change_set_type == "UPDATE" and (stack is None or stack["StackStatus"] == "REVIEW_IN_PROGRESS"):
        fail(operation, "ValidationError", f"Stack [{stack_name}] does not exist")
    template_path = options["template-file"][0] if "template-file" in options else options["template-body"][0][len("file://"):]
    text, template = load_template(template_path)
    previous = None if change_set_type == "CREATE" else stack
    params = effective_parameters(template, parameter_list(options.get("parameters", [])), previous, operation)
    new_app = application_of(template, params)
    old_app = previous.get("Application") if previous else None
    changes = application_changes(old_app, new_app)
    if previous is not None and previous["TemplateBody"] == text and previous["Parameters"] == params:
        status, reason = "FAILED", "The submitted information didn't contain changes. Submit different information to create a change set."
    else:
        status, reason = "CREATE_COMPLETE", None
    if stack is None:
        stack = state["stacks"][stack_name] = {"StackStatus": "REVIEW_IN_PROGRESS", "Parameters": {},
                                               "TemplateBody": None, "Application": None, "ChangeSets": {}}
    name = options["change-set-name"][0]
    stack["ChangeSets"][name] = {"ChangeSetName": name, "Status": status, "StatusReason": reason,
                                 "Changes": changes, "NewParameters": params, "NewTemplate": text,
                                 "NewApplication": new_app, "Type": change_set_type}
    return stack_name, name


def denied_by_policy(stack, changes):
    policy = stack.get("StackPolicy")
    if not policy:
        return None
    for change in changes:
        rc = change["ResourceChange"]
        action = {"Remove": "Update:Delete"}.get(rc["Action"])
        if rc.get("Replacement") == "True":
            action = "Update:Replace"
        if action is None:
            continue
        for statement in policy["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            if statement["Effect"] == "Deny" and (action in actions or "Update:*" in actions) \
                    and ("LogicalResourceId/" + rc["LogicalResourceId"] in resources or "*" in resources):
                return f"Action denied by stack policy: {action} on {rc['LogicalResourceId']}"
    return None


def execute_change_set(state, stack_name, name):
    stack = state["stacks"][stack_name]
    change_set = stack["ChangeSets"].pop(name)
    if change_set["Status"] != "CREATE_COMPLETE":
        fail("ExecuteChangeSet", "InvalidChangeSetStatus", f"ChangeSet [{name}] cannot be executed in its current status of [{change_set['Status']}]")
    denied = denied_by_policy(stack, change_set["Changes"])
    if denied:
        stack["StackStatus"] = "UPDATE_ROLLBACK_COMPLETE"
        stack["StackStatusReason"] = denied
        state["events"].append({"event": "update-refused", "stack": stack_name, "reason": denied})
        return
    creating = change_set["Type"] == "CREATE"
    old_app, new_app = stack.get("Application"), change_set["NewApplication"]
    for change in change_set["Changes"]:
        rc = change["ResourceChange"]
        if rc["Action"] == "Remove" or rc.get("Replacement") == "True":
            name_of = old_app["Properties"]["ApplicationName"]
            state["applications"].pop(name_of, None)
            state["events"].append({"event": "application-deleted", "application": name_of})
        if rc["Action"] == "Add" or rc.get("Replacement") == "True":
            location = code_location(new_app)
            state["applications"][new_app["Properties"]["ApplicationName"]] = {
                "status": "READY", "version": 1, "code": location, "snapshots": []}
            state["events"].append({"event": "application-created", "application": new_app["Properties"]["ApplicationName"],
                                    "code": location})
        if rc["Action"] == "Modify" and rc.get("Replacement") == "False":
            app = state["applications"][new_app["Properties"]["ApplicationName"]]
            app["version"] += 1
            if code_location(old_app) != code_location(new_app):
                # A running application takes a snapshot, gets its new code and restarts from that snapshot.
                if app["status"] == "RUNNING":
                    app["snapshots"].append(f"update-to-version-{app['version']}")
                app["code"] = code_location(new_app)
                state["events"].append({"event": "application-code-updated", "application": new_app["Properties"]["ApplicationName"],
                                        "code": app["code"], "restored_from": app["snapshots"][-1] if app["snapshots"] else None})
            else:
                state["events"].append({"event": "application-configuration-updated",
                                        "application": new_app["Properties"]["ApplicationName"]})
    stack["Parameters"] = change_set["NewParameters"]
    stack["TemplateBody"] = change_set["NewTemplate"]
    stack["Application"] = new_app
    stack["StackStatus"] = "CREATE_COMPLETE" if creating else "UPDATE_COMPLETE"
    if creating:
        secret = secret_arn(stack["Parameters"]["ApplicationName"])
        state["secrets"].setdefault(secret, {"versions": {}})


def cloudformation(state, command, options):
    if command == "describe-stacks":
        name = options["stack-name"][0]
        stack = state["stacks"].get(name)
        if stack is None:
            fail("DescribeStacks", "ValidationError", f"Stack with id {name} does not exist")
        # A stack whose first change set was never executed is listed, in REVIEW_IN_PROGRESS, without outputs.
        described = {"StackName": name, "StackStatus": stack["StackStatus"],
                     "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in stack["Parameters"].items()]}
        if stack["StackStatus"] != "REVIEW_IN_PROGRESS":
            described["Outputs"] = outputs_of(name, stack)
        answer({"Stacks": [described]}, options)
    elif command == "create-change-set":
        stack_name, name = create_change_set(state, options)
        answer({"Id": f"arn:aws:cloudformation:eu-west-1:{ACCOUNT}:changeSet/{name}/1", "StackId": stack_name}, options)
    elif command == "describe-change-set":
        stack = state["stacks"][options["stack-name"][0]]
        change_set = stack["ChangeSets"].get(options["change-set-name"][0])
        if change_set is None:
            fail("DescribeChangeSet", "ChangeSetNotFound", "ChangeSet does not exist")
        response = {k: v for k, v in change_set.items() if k in ("ChangeSetName", "Status", "StatusReason", "Changes")}
        response["Parameters"] = [{"ParameterKey": k, "ParameterValue": v} for k, v in change_set["NewParameters"].items()]
        answer(response, options)
    elif command == "execute-change-set":
        execute_change_set(state, options["stack-name"][0], options["change-set-name"][0])
    elif command == "delete-change-set":
        state["stacks"][options["stack-name"][0]]["ChangeSets"].pop(options["change-set-name"][0], None)
    elif command == "set-stack-policy":
        state["stacks"][options["stack-name"][0]]["StackPolicy"] = json.loads(read_value(options["stack-policy-body"][0]))
    elif command == "wait":
        waiter = options.pop("_waiter")
        stack = state["stacks"][options["stack-name"][0]]
        if waiter == "change-set-create-complete":
            if stack["ChangeSets"][options["change-set-name"][0]]["Status"] != "CREATE_COMPLETE":
                sys.stderr.write("\nWaiter ChangeSetCreateComplete failed: Waiter encountered a terminal failure state: For expression \"Status\" we matched expected path: \"FAILED\"\n")
                sys.exit(255)
        elif stack["StackStatus"] not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            sys.stderr.write(f"\nWaiter failed: Waiter encountered a terminal failure state: {stack['StackStatus']}\n")
            sys.exit(255)
    elif command == "deploy":
        stack_name = options["stack-name"][0]
        stack = state["stacks"].get(stack_name)
        exists = stack is not None and stack["StackStatus"] != "REVIEW_IN_PROGRESS"
        _, template = load_template(options["template-file"][0])
        overrides = dict(o.split("=", 1) for o in options.get("parameter-overrides", []))
        parameters = []
        for key in template.get("Parameters") or {}:
            if key in overrides:
                parameters.append({"ParameterKey": key, "ParameterValue": overrides[key]})
            elif exists:
                parameters.append({"ParameterKey": key, "UsePreviousValue": True})
        name = f"awscli-cloudformation-package-deploy-{len(state['events'])}"
        options = dict(options, parameters=[json.dumps(parameters)], **{"change-set-name": [name],
                       "change-set-type": ["UPDATE" if exists else "CREATE"]})
        stack_name, name = create_change_set(state, options, "CreateChangeSet")
        if state["stacks"][stack_name]["ChangeSets"][name]["Status"] == "FAILED":
            state["stacks"][stack_name]["ChangeSets"].pop(name)
            if "no-fail-on-empty-changeset" in options:
                print(f"\nNo changes to deploy. Stack {stack_name} is up to date")
                return
            sys.stderr.write("\nNo changes to deploy. Stack is up to date\n")
            sys.exit(255)
        execute_change_set(state, stack_name, name)
        if state["stacks"][stack_name]["StackStatus"] not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            save_state(state)
            sys.stderr.write(f"\nFailed to create/update the stack. Run the following command\n"
                             f"to fetch the list of events leading up to the failure\naws cloudformation describe-stack-events --stack-name {stack_name}\n")
            sys.exit(255)
        print(f"Successfully created/updated stack - {stack_name}")
    else:
        fail(command, "FakeUnsupported", f"the recording AWS CLI does not model cloudformation {command}", 2)


# ---------------------------------------------------------------- S3, Secrets Manager, Managed Flink

def s3(state, command, positional, options):
    if command == "cp":
        source, target = positional
        bucket, _, key = target[len("s3://"):].partition("/")
        with open(source, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        state["objects"][f"{bucket}/{key}"] = digest
    else:
        fail(command, "FakeUnsupported", f"the recording AWS CLI does not model s3 {command}", 2)


def s3api(state, command, options):
    if command == "head-object":
        path = f"{options['bucket'][0]}/{options['key'][0]}"
        if path not in state["objects"]:
            fail("HeadObject", "404", "Not Found")
        answer({"ContentLength": 1, "ETag": '"' + state["objects"][path][:32] + '"'}, options)
    else:
        fail(command, "FakeUnsupported", f"the recording AWS CLI does not model s3api {command}", 2)


def secretsmanager(state, command, options):
    arn = options["secret-id"][0]
    secret = state["secrets"].get(arn)
    if secret is None:
        fail(command, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
    if command == "put-secret-value":
        version = f"v{len(secret['versions']) + 1}"
        for stages in secret["versions"].values():
            if "AWSCURRENT" in stages:
                stages.remove("AWSCURRENT")
        secret["versions"][version] = ["AWSCURRENT"]
        answer({"ARN": arn, "VersionId": version, "VersionStages": ["AWSCURRENT"]}, options)
    elif command == "describe-secret":
        response = {"ARN": arn, "Name": arn.split(":")[-1]}
        # A secret created without a value has no versions, and DescribeSecret then leaves the field out.
        if secret["versions"]:
            response["VersionIdsToStages"] = secret["versions"]
        answer(response, options)
    else:
        fail(command, "FakeUnsupported", f"the recording AWS CLI does not model secretsmanager {command}", 2)


def kinesisanalyticsv2(state, command, options):
    name = options["application-name"][0]
    app = state["applications"].get(name)
    if app is None:
        fail(command, "ResourceNotFoundException", f"Application {name} not found")
    if command == "describe-application":
        answer({"ApplicationDetail": {
            "ApplicationName": name, "ApplicationStatus": app["status"], "ApplicationVersionId": app["version"],
            "ApplicationConfigurationDescription": {"ApplicationCodeConfigurationDescription": {
                "CodeContentDescription": {"S3ApplicationCodeLocationDescription": app["code"]}}}}}, options)
    elif command == "start-application":
        if app["status"] != "READY":
            fail("StartApplication", "ResourceInUseException", f"Application {name} is {app['status']}")
        app["status"] = "RUNNING"
        run = json.loads(options["run-configuration"][0]) if "run-configuration" in options else {}
        state["events"].append({"event": "application-started", "application": name, "run": run})
    else:
        fail(command, "FakeUnsupported", f"the recording AWS CLI does not model kinesisanalyticsv2 {command}", 2)


def aws(args):
    state = load_state()
    positional, options = parse(args)
    service, command, rest = positional[0], positional[1], positional[2:]
    if service == "cloudformation" and command == "wait":
        options["_waiter"] = rest[0]
    {"cloudformation": lambda: cloudformation(state, command, options),
     "s3": lambda: s3(state, command, rest, options),
     "s3api": lambda: s3api(state, command, options),
     "secretsmanager": lambda: secretsmanager(state, command, options),
     "kinesisanalyticsv2": lambda: kinesisanalyticsv2(state, command, options)}.get(
        service, lambda: fail(command, "FakeUnsupported", f"the recording AWS CLI does not model {service}", 2))()
    save_state(state)


# ---------------------------------------------------------------- java and mvn

# What `mvn package` leaves in target/ for each module deploy.sh uses (the root pom's modules), and what
# each of those modules needs built first (-am).
BUILT = {
    "job": ["job/target/tidings-job.jar", "job/target/lib/", "job/target/plugins/"],
    "kinesis-analytics": ["kinesis-analytics/target/tidings-kinesis-analytics-flink.jar"],
    "glue": ["glue/target/tidings-glue.jar", "glue/target/lib/"],
}
ALSO_MAKE = {"kinesis-analytics": ["job"], "glue": [], "job": []}


def mvn(args, home):
    projects = args[args.index("-pl") + 1] if "-pl" in args else (args[args.index("--projects") + 1] if "--projects" in args else None)
    modules = projects.split(",") if projects else list(BUILT)
    if "-am" in args or "--also-make" in args:
        modules = modules + [m for module in modules for m in ALSO_MAKE.get(module, [])]
    for module in modules:
        for path in BUILT.get(module, []):
            target = os.path.join(home, path)
            if path.endswith("/"):
                os.makedirs(target, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(f"built by mvn {' '.join(args)}".encode())


def main():
    tool, args = sys.argv[1], sys.argv[2:]
    with open(os.environ["FAKE_AWS_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"tool": tool, "args": args, "cwd": os.getcwd()}) + "\n")
    if tool == "aws":
        # The region option may come anywhere; deploy.sh puts it first.
        if args[:1] == ["--region"]:
            args = args[2:]
        aws(args)
    elif tool == "mvn":
        mvn(args, os.getcwd())
    elif tool != "java":
        sys.exit(f"recording_aws_cli: unknown tool {tool}")


if __name__ == "__main__":
    main()
