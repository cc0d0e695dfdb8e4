import { useEffect, useState } from "preact/hooks";

import { useChildren, useLive, useRecord } from "../app/live";
import type { Services } from "../app/services";
import type { Stored } from "../data/records";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { useWrite } from "./useWrite";
import { Confirm } from "./Confirm";
import { dateLong, when } from "./format";
import { factsKey } from "../domain/reportParts";
import { reportContents, useReportFacts } from "./reportContents";
import { ParentAccess } from "./ParentAccess";

/**
 * After the meeting: what the parents' report will hold, publishing it (queued like any
 * change, so it works offline), its versions, who has read it, and filing it.
 */
export function ReportPanel({ services, meeting }: { services: Services; meeting: Stored<"meeting"> }) {
  const { read, write } = services;
  const action = useWrite();
  const meetingId = meeting.id;
  const reports = byNumber(useChildren(read, "report", meetingId));
  const readings = useChildren(read, "report_reading", meetingId);
  const filings = useChildren(read, "filing", meetingId);
  // In the order the photos screen numbers them: "billede 2" is the same photo on both.
  const photos = useLive(() => read.photos(meetingId), [read, meetingId], [] as Stored<"board_photo">[]);
  const course = useRecord(read, "course", meeting.fields.course_id);
  const guardians = useChildren(read, "guardian", course?.fields.child_id ?? "");
  const user = useLive(() => read.user(), [read], undefined);
  const missing = useMissingPhotos(services, photos);
  const facts = useReportFacts(services, meeting, photos);
  const factsNow = factsKey(facts);
  // What the last publish sent, as this tablet saw it (kept on the device with the drafts):
  // a change since then is not what the parents see until the report is published again.
  const sentKey = `published-facts:${meetingId}`;
  const [sentFacts, setSentFacts] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void services.drafts.get<string>(sentKey).then((v) => { if (live) setSentFacts(v); }, () => undefined);
    return () => { live = false; };
  }, [services.drafts, sentKey]);
  const keepSent = async (value: string) => { await services.drafts.put(sentKey, value); setSentFacts(value); };
  const [asking, setAsking] = useState<"publish" | "file" | null>(null);
  // A publication the server refused is not "waiting": it is shown with its reason at the
  // top of the meeting, and publishing can be tried again.
  const refused = useLive(() => read.refusedIds("report"), [read], new Set<string>());
  if (meeting.fields.status !== "finished") return null;

  const isLeader = !!user && course?.fields.leader_id === user.id;
  const published = reports.filter((r) => r.fields.published_at);
  const latest = published[published.length - 1];
  const waiting = reports.some((r) => !r.fields.published_at && !refused.has(r.id));
  const contents = reportContents(facts);
  // Known only for a publish made on this tablet (a version published on another one is not
  // second-guessed: no warning rather than a false one).
  const changedSince = latest && !waiting && typeof sentFacts === "string" && sentFacts !== factsNow;
  async function publish() {
    setAsking(null);
    if (await action.run(() => write.publishReport(meetingId))) await keepSent(factsNow);
  }

  return (
    <section aria-labelledby="report-heading" class="report-panel">
      <h2 id="report-heading">{da.report.heading}</h2>
      <p>{da.report.contents}</p>
      <ul>{contents.map((line) => <li key={line}>{line}</li>)}</ul>
      {published.map((r) => (
        <p key={r.id} class="report-version">
          {da.report.published(r.fields.number ?? 0, when(r.fields.published_at),
            r.fields.published_by_name ?? "")}
        </p>
      ))}
      {latest && <Receipts readings={readings.filter((r) => r.fields.report_id === latest.id)} />}
      {latest && <p><a class="link-target" href={`/api/reports/${latest.id}/pdf`} target="_blank" rel="noopener">{da.report.openPdf}</a></p>}
      {waiting && <p role="status">{da.report.waiting}</p>}
      {changedSince && <p role="status" class="warning">{da.meetingScreen.changedSincePublished(latest.fields.number ?? 1)}</p>}
      {missing.length > 0 && <p role="alert">{da.report.missingPhotos(missing.join(", "))}</p>}
      {!isLeader && <p class="hint">{da.report.onlyLeader}</p>}
      {isLeader && !waiting && (
        <button type="button" disabled={missing.length > 0} onClick={() => setAsking("publish")}>
          {latest ? da.report.publishCorrected : da.report.publish}
        </button>
      )}
      <Confirm open={asking === "publish"} title={latest ? da.confirm.publishCorrectedTitle : da.confirm.publishTitle}
        confirm={da.confirm.publish} onCancel={() => setAsking(null)}
        onConfirm={() => void publish()}>
        <Recipients guardians={guardians} />
        <p>{da.confirm.contents}</p>
        <ul class="report-contents">{contents.map((line) => <li key={line}>{line}</li>)}</ul>
        <p class="hint">{da.confirm.final}</p>
      </Confirm>
      {/* Filing is another step, for another system: apart from publishing, and asked for. */}
      <div class="filing" role="group" aria-labelledby="filing-heading">
        <h3 id="filing-heading">{da.confirm.fileHeading}</h3>
        {filings.map((f) => <p key={f.id} role="status">{filingText(f.fields)}</p>)}
        {!latest && filings.length === 0 && <p class="hint">{da.confirm.fileFirst}</p>}
        {isLeader && latest && filings.length === 0 && (
          <button type="button" class="secondary" onClick={() => setAsking("file")}>{da.report.file}</button>
        )}
        <Confirm open={asking === "file"} title={da.confirm.fileTitle} confirm={da.confirm.file}
          onCancel={() => setAsking(null)}
          onConfirm={() => { setAsking(null); void action.run(() => write.fileReport(meetingId)); }}>
          <p>{da.confirm.fileBody(latest?.fields.number ?? 1)}</p>
        </Confirm>
      </div>
      <ActionError state={action} />
      {isLeader && <ParentAccess services={services} childId={course?.fields.child_id ?? ""} />}
    </section>
  );
}

/** A filing is "Journaliseret" only once the case system has acknowledged it: before, it
 * waits to be sent (offline), waits for the receipt, or is being sent again. */
export function filingText(f: Stored<"filing">["fields"]): string {
  if (f.acknowledged_at) return da.report.filed(dateLong(f.acknowledged_at), f.filed_by_name ?? "");
  if (!f.filed_at) return da.report.filing;
  return f.state === "failed" ? da.report.filingRetry : da.report.filingSent;
}

/** Who gets a link when the report is published (the server's rule: custody and an e-mail). */
function Recipients({ guardians }: { guardians: Stored<"guardian">[] }) {
  const name = (g: Stored<"guardian">) => g.fields.name;
  const custody = (g: Stored<"guardian">) => g.fields.has_custody !== false;
  const email = (g: Stored<"guardian">) => g.fields.email ?? "";
  const to = guardians.filter((g) => custody(g) && email(g));
  const not = guardians.filter((g) => !(custody(g) && email(g)));
  return (
    <>
      {to.length > 0 ? (
        <>
          <p>{da.confirm.recipients}</p>
          <ul class="recipients">{to.map((g) => (
            <li key={g.id}>{da.confirm.recipient(name(g), g.fields.relation ?? "", email(g))}</li>
          ))}</ul>
        </>
      ) : <p class="warning">{da.confirm.noRecipients}</p>}
      {not.length > 0 && (
        <>
          <p>{da.confirm.notReceiving}</p>
          <ul>{not.map((g) => (
            <li key={g.id}>{custody(g) ? da.confirm.noEmail(name(g)) : da.confirm.noCustody(name(g))}</li>
          ))}</ul>
        </>
      )}
    </>
  );
}

function Receipts({ readings }: { readings: Stored<"report_reading">[] }) {
  if (readings.length === 0) return <p class="hint">{da.report.notRead}</p>;
  return (
    <ul class="receipts">
      {readings.map((r) => (
        <li key={r.id}>{da.report.readBy(r.fields.guardian_label ?? "", when(r.fields.read_at))}</li>
      ))}
    </ul>
  );
}

function byNumber(reports: Stored<"report">[]): Stored<"report">[] {
  // Unpublished (queued) versions have no number yet and sort last.
  const n = (r: Stored<"report">) => r.fields.number ?? Number.MAX_SAFE_INTEGER;
  return [...reports].sort((a, b) => n(a) - n(b));
}

/**
 * Positions (1-based) of photos that cannot reach the server with the publication: not on
 * this tablet (taken on another one) and not on the server. Photos waiting on this tablet
 * are fine: the sync engine uploads photos before it sends the publication.
 */
function useMissingPhotos({ read, api }: Services, photos: Stored<"board_photo">[]): number[] {
  // null until looked up: until then no photo is called missing (nor the server asked about
  // this tablet's own photos); a failed lookup counts as none here, and the server is asked.
  const local = useLive(async (): Promise<string[] | null> => read.localPhotoHashes().catch(() => []), [read],
    null as string[] | null);
  const candidates = photos
    .map((p, i): [number, string, boolean | undefined] => [i + 1, p.fields.content_hash, p.fields.uploaded])
    .filter(([, hash, uploaded]) => local !== null && !local.includes(hash) && uploaded !== true);
  const key = candidates.map(([, hash]) => hash).join(",");
  const [onServer, setOnServer] = useState<string[]>([]);
  useEffect(() => {
    if (!key || !navigator.onLine) return;
    // The pulled "uploaded" flag can be older than the upload itself: ask the server.
    const hashes = key.split(",");
    api.post<{ missing: string[] }>("/api/blobs/missing", { hashes })
      .then((answer) => setOnServer(hashes.filter((h) => !answer.missing.includes(h))))
      .catch(() => undefined);  // offline after all: keep the cautious answer
  }, [api, key]);
  return candidates.filter(([, hash]) => !onServer.includes(hash)).map(([n]) => n);
}
