// Ids the tablet derives instead of drawing at random, for records that two tablets at the
// same table (or one tablet asked twice) would otherwise both make: the meeting after a
// finished one, the participants carried over to it, an agreement carried on, a person's
// answer to the scaling question. Made offline alike everywhere, they meet on the server as
// one record whose fields merge, never as two. UUIDv5 (RFC 9562) under Trivsel's namespace.

import { v5 } from "uuid";

const NAMESPACE = "dddb208d-261e-410b-8bc8-4a0a5b6e7205"; // made once for Trivsel; never change

/** The meeting planned when `meetingId` is finished. */
export const nextMeetingId = (meetingId: string) => v5(`next-meeting:${meetingId}`, NAMESPACE);

/** A participant of the last meeting, carried over to `meetingId`. */
export const carriedParticipantId = (meetingId: string, participantId: string) =>
  v5(`participant:${meetingId}:${participantId}`, NAMESPACE);

/** An agreement of the last meeting carried on at `meetingId`. */
export const carriedAgreementId = (meetingId: string, agreementId: string) =>
  v5(`agreement:${meetingId}:${agreementId}`, NAMESPACE);

/** One person's answer to the scaling question at `meetingId` (`who`: a participant, or "child"). */
export const scalingAnswerId = (meetingId: string, who: string) => v5(`scaling:${meetingId}:${who}`, NAMESPACE);

/** The child's three houses at `meetingId`: one record per meeting. */
export const housesId = (meetingId: string) => v5(`houses:${meetingId}`, NAMESPACE);
