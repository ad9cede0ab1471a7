import type { Inquiry } from '../core/inquiries/types.ts';

/**
 * The inquiries columns under the core's names, for raw statements on hot paths (intake, the
 * outbox worker), where drizzle's per-row mapping cost as much as SQLite's own work.
 */
export const INQUIRY_COLUMNS = `id, source, external_id AS externalId, customer_id AS customerId, subject, body, url,
  reason_id AS reasonId, reason_source AS reasonSource, reason_confidence AS reasonConfidence, status,
  assignee_id AS assigneeId, assignee_name AS assigneeName, metadata, received_at AS receivedAt,
  first_response_at AS firstResponseAt, resolved_at AS resolvedAt, created_at AS createdAt, updated_at AS updatedAt`;

/** A row read with INQUIRY_COLUMNS: metadata is still JSON text. */
export type InquiryRow = Omit<Inquiry, 'metadata'> & { metadata: string | null };

export function toInquiry(row: InquiryRow | undefined): Inquiry | undefined {
  return (
    row && { ...row, metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>) }
  );
}
