// A field the server would refuse, in plain Danish: what is wrong and, where there is one,
// the limit (e.g. "Højst 2.000 tegn – du har skrevet 5.000.").

import type { FieldProblem, FieldProblems } from "../contract/check";
import { da } from "./da";

export function describeFieldProblem(problem: FieldProblem): string {
  switch (problem.rule) {
    case "required":
      return da.check.required;
    case "tooLong":
      return da.check.tooLong(problem.limit, problem.actual);
    case "tooShort":
      return da.check.tooShort(problem.limit, problem.actual);
    case "choice":
      return da.check.choice;
    case "format":
      return da.check.formats[problem.format] ?? da.check.broken;
    case "range":
      return da.check.range(problem.min, problem.max);
    case "missingRef":
      return da.check.missingRef[problem.entity] ?? da.rejections["not_found"] ?? da.errors.unknown;
    case "fixed":
      return da.check.fixed;
    case "role":
      return da.check.role;
    case "process":
      return da.rejections[problem.code] ?? da.errors.unknown;
    default:
      return da.check.broken; // a field the app should never send: a bug, said plainly
  }
}

/** Each field's problem in words, by field name ("*": the change as a whole). */
export function describeFieldProblems(problems: FieldProblems): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).map(([name, p]) => [name, describeFieldProblem(p)]));
}
