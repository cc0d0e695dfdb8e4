/** Where a count in the status bar leads: a meeting (or the start page), at one record. */
export interface Place {
  meetingId: string | null;
  recordId?: string | undefined;
}
