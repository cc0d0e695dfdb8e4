import type { ApiClient } from "../api/client";
import type { Column } from "../data/writes";

/** A note the server found in a board photo (GET /api/photos/<id>/suggestions,
 * server/photos/suggestion_routes.py): its column, its text when it was read well enough
 * (else null: the leader writes it from the crop), and the note cut from the photo. */
export interface Suggestion {
  column: Column;
  text: string | null;
  confidence: number;
  crop: string; // a data: URL, so the crop needs no second request and no cache entry
}

/** The suggestions for a photo record; throws NetworkError offline and ApiError 404 while the
 * server does not have the photo (its record or bytes not sent yet). */
export async function fetchSuggestions(api: ApiClient, photoId: string): Promise<Suggestion[]> {
  const body = await api.get<{ suggestions: Suggestion[] }>(
    `/api/photos/${encodeURIComponent(photoId)}/suggestions`,
  );
  return body.suggestions;
}
