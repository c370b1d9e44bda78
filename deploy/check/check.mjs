// Offline checks of deploy/ with pinned tools (see package.json):
//   - every document of k8s/*.yaml and k8s/redis/*.yaml against the
//     Kubernetes API's schema for its apiVersion and kind
//     (kubernetes-models: types, required fields, enums and formats; like
//     kubeconform without --strict, it does not reject fields the schema
//     does not name);
//   - the Containerfile's syntax and instructions (dockerfile-utils, the
//     validator of the Dockerfile language server), every warning an error.
// Each checker is first shown a broken input and must reject it, so a
// checker that accepts everything cannot pass.
//
// Usage: node deploy/check/check.mjs   (after npm ci in deploy/check)
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { validate as validateDockerfile, ValidationSeverity } from "dockerfile-utils";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Service } from "kubernetes-models/v1/Service";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";

const deploy = join(dirname(fileURLToPath(import.meta.url)), "..");
const models = {
  "apps/v1 Deployment": Deployment,
  "v1 Service": Service,
  "autoscaling/v2 HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "networking.k8s.io/v1 NetworkPolicy": NetworkPolicy,
};
let problems = 0;
const fail = (msg) => { problems++; console.error("FAIL " + msg); };

function checkManifest(name, obj) {
  const Model = models[`${obj?.apiVersion} ${obj?.kind}`];
  if (!Model) return `${obj?.apiVersion} ${obj?.kind}: no schema here for this kind`;
  try {
    new Model(obj).validate();
    return "";
  } catch (e) {
    return e.message;
  }
}

function checkContainerfile(text) {
  const all = {};
  for (const k of ["deprecatedMaintainer", "directiveCasing", "emptyContinuationLine", "instructionCasing",
    "instructionCmdMultiple", "instructionEntrypointMultiple", "instructionHealthcheckMultiple",
    "instructionJSONInSingleQuotes", "instructionWorkdirRelative"]) all[k] = ValidationSeverity.ERROR;
  return validateDockerfile(text, all).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
}

// The checkers must reject broken input.
const broken = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, spec: { replicas: "two", template: {} } };
if (checkManifest("broken", broken) === "") fail("the schema check accepted a Deployment with replicas: \"two\" and no selector");
if (checkContainerfile("FROM scratch\nCOPY --frm=build /a /b\nEXPOSE http\nNOTANINSTRUCTION x\n").length < 2)
  fail("the Containerfile check accepted unknown flags, a bad port and an unknown instruction");

let docs = 0;
const files = [];
for (const sub of ["k8s", "k8s/redis"]) {
  for (const f of readdirSync(join(deploy, sub)).filter((f) => f.endsWith(".yaml")).sort()) files.push(`${sub}/${f}`);
}
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(join(deploy, file), "utf8"))) {
    if (doc.errors.length) { fail(`${file}: YAML: ${doc.errors[0].message}`); continue; }
    const obj = doc.toJS();
    if (obj == null) continue;
    docs++;
    const err = checkManifest(file, obj);
    if (err) fail(`${file}: ${obj.kind} ${obj.metadata?.name}: ${err}`);
    else console.log(`ok   ${file}: ${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}`);
  }
}
if (docs === 0) fail("no manifests in k8s/");

const diags = checkContainerfile(readFileSync(join(deploy, "Containerfile"), "utf8"));
for (const d of diags) fail(`Containerfile: ${d}`);
if (!diags.length) console.log("ok   Containerfile");

console.log(`${docs + 1 - problems} passed, ${problems} failed`);
process.exit(problems ? 1 : 0);
