import { z } from 'zod';
import { activityEntry } from './activity.ts';
import { isoDateTime, phoneNumber, uuid } from './common.ts';

/**
 * Secure messaging, the care-team inbox, refill requests and notification choices (issue 4). Message text is plain
 * text: stored exactly as sent and always rendered as text. Sends take an `Idempotency-Key` header (1-200 visible
 * ASCII characters): a retry with the same key and body gets the first answer and creates nothing.
 */

/** What a patient may write about; `refill` threads are made by refill requests, not chosen. */
export const messageTopic = z.enum([
  'medical_question',
  'prescription_question',
  'test_result_question',
  'appointment',
  'billing',
  'other',
]);
/** Every thread topic, refill requests included. */
export const threadTopic = z.enum([...messageTopic.options, 'refill', 'privacy']);
/**
 * Where a thread stands (issue 10 §5.3). waiting: the patient wrote last and nobody has replied since; acknowledged: the
 * care team sent a holding reply ("we received your message"), a full answer is still owed; answered: the care team
 * replied in full; closed: no more messages (start a new thread). Waiting and acknowledged threads are the pool's to-do.
 */
export const threadStatus = z.enum(['waiting', 'acknowledged', 'answered', 'closed']);
/** Thread states that still owe the patient an answer: a pool's to-do. */
export const toDoThreadStatuses = ['waiting', 'acknowledged'] as const;
/** Thread states that take messages. */
export const openThreadStatuses = ['waiting', 'acknowledged', 'answered'] as const;

/** Limits of messaging (issue 4). */
export const messagingLimits = {
  subjectMaxLength: 200,
  bodyMaxLength: 10_000,
  attachmentMaxBytes: 10 * 1024 * 1024,
  attachmentsPerMessage: 5,
  newThreadsPerDay: 20,
  attachmentTypes: ['application/pdf', 'image/jpeg', 'image/png'] as const,
} as const;

/** Message text: any Unicode, at least one visible character. */
export const messageBody = z
  .string()
  .max(messagingLimits.bodyMaxLength, `Write at most ${messagingLimits.bodyMaxLength} characters.`)
  .refine((s) => s.trim().length > 0, 'Write a message.');

/** Attachment ids returned by the upload endpoint, at most five per message. */
export const attachmentIds = z
  .array(uuid)
  .max(messagingLimits.attachmentsPerMessage, `Attach at most ${messagingLimits.attachmentsPerMessage} files.`)
  .default([]);

/** Someone the patient can write to: a department's care team, or one clinician in it. */
export const messageRecipient = z.object({
  departmentId: uuid,
  clinicianId: uuid.nullable(),
  /** "Dr. Sarah Chen (Family Medicine)", "Family Medicine care team". */
  label: z.string(),
  /** pcp: the patient's PCP's office; seen: a department or clinician the patient has had a visit with. */
  reason: z.enum(['pcp', 'seen']),
});
/** GET /api/patients/:id/messages/recipients */
export const messageRecipientsResponse = z.object({ recipients: z.array(messageRecipient) });

/** An uploaded file, before or after it is sent. */
export const attachmentInfo = z.object({ id: uuid, fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int() });

/**
 * POST /api/patients/:id/messages/attachments (and /api/inbox/threads/:threadId/attachments for staff): the raw file as the body with
 * Content-Type application/pdf, image/jpeg or image/png and the file's name in `X-File-Name` (percent-encoded).
 * The type is checked from the bytes. Answer 201 attachmentInfo.
 */
export const attachmentUploadResponse = attachmentInfo;

/** A thread as a list shows it. */
export const threadSummary = z.object({
  id: uuid,
  subject: z.string(),
  topic: threadTopic,
  status: threadStatus,
  /** Who the thread is with: the pool's (and clinician's) name. */
  recipientLabel: z.string(),
  lastActivityAt: isoDateTime,
  unread: z.boolean(),
  /**
   * Kept from the patient's parents and guardians (issue 11 §1): the patient, aged 12-17, kept it private, or it names
   * a confidential medication. Said in words to those who see it (the teen, the care team), so nobody mentions it to a parent.
   */
  confidential: z.boolean(),
});

/** One message as the reader may see it. */
export const messageView = z.object({
  id: uuid,
  authorName: z.string(),
  /** patient, clinician, nurse, front_desk, billing, admin. */
  authorRole: z.string(),
  /** Written by the reader. */
  mine: z.boolean(),
  body: z.string(),
  /** Internal notes are shown to staff only. */
  internal: z.boolean(),
  createdAt: isoDateTime,
  attachments: z.array(attachmentInfo),
});

/** A refill request as patient and staff see it. */
export const refillView = z.object({
  id: uuid,
  status: z.enum(['requested', 'approved', 'denied']),
  medications: z.array(z.object({ id: uuid, name: z.string(), directions: z.string().nullable() })),
  pharmacy: z.object({ id: uuid, name: z.string(), address: z.string(), phone: z.string().nullable() }),
  note: z.string().nullable(),
  denialReason: z.string().nullable(),
  decidedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  threadId: uuid,
});

/** GET /api/patients/:id/messages/threads/:threadId (marks it read) */
export const threadDetailResponse = z.object({
  thread: threadSummary.extend({ previousThreadId: uuid.nullable(), canReply: z.boolean() }),
  messages: z.array(messageView),
  refill: refillView.nullable(),
});

/** GET /api/patients/:id/messages/threads?cursor=&limit= : newest activity first. */
export const threadListResponse = z.object({
  threads: z.array(threadSummary),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int(),
});

/** POST /api/patients/:id/messages/threads (Idempotency-Key): a new thread. Answer 201 threadDetailResponse. */
export const newThreadBody = z.object({
  departmentId: uuid,
  clinicianId: uuid.nullable().default(null),
  topic: messageTopic,
  subject: z
    .string()
    .max(messagingLimits.subjectMaxLength, `Keep the subject under ${messagingLimits.subjectMaxLength} characters.`)
    .refine((s) => s.trim().length > 0, 'Write a subject.'),
  body: messageBody,
  attachmentIds,
  /** The closed thread this follows up, if any. */
  previousThreadId: uuid.nullable().default(null),
  /**
   * "Keep this private from my parents": only a patient aged 12-17 writing on their own record may set it (issue 11 §1);
   * the thread is then hidden from their guardians, and the care team's replies stay in it.
   */
  confidential: z.boolean().default(false),
});

/** POST /api/patients/:id/messages/threads/:threadId/messages (Idempotency-Key). Answer 201 messageView; 409 `thread_closed` when closed. */
export const replyBody = z.object({ body: messageBody, attachmentIds });

/** Staff: one care-team pool (a department) the user belongs to; `todo` counts its waiting and acknowledged threads. */
export const poolSummary = z.object({
  departmentId: uuid,
  name: z.string(),
  unread: z.number().int(),
  open: z.number().int(),
  todo: z.number().int(),
});
/** GET /api/inbox/pools */
export const poolListResponse = z.object({ pools: z.array(poolSummary) });

/** Staff: a thread in a pool list. */
export const inboxThreadSummary = threadSummary.extend({
  kind: z.enum(['message', 'refill']),
  patient: z.object({ id: uuid, name: z.string(), mrn: z.string(), birthDate: z.string() }),
  assignedTo: z.object({ id: uuid, name: z.string() }).nullable(),
});
/** GET /api/inbox/pools/:departmentId/threads?status=todo|open|closed|all&cursor=&limit= */
export const inboxThreadListResponse = z.object({ threads: z.array(inboxThreadSummary), nextCursor: z.string().nullable() });
/** The query of a pool's thread list. */
export const inboxThreadListQuery = z.object({
  /** todo: waiting or acknowledged; open: not closed; closed; all. */
  status: z.enum(['todo', 'open', 'closed', 'all']).default('open'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** GET /api/inbox/threads/:threadId (marks it read for the staff member) */
export const inboxThreadDetailResponse = z.object({
  thread: inboxThreadSummary.extend({ departmentId: uuid, previousThreadId: uuid.nullable() }),
  messages: z.array(messageView),
  refill: refillView.nullable(),
  /**
   * A `privacy` thread's subject (issue 11 §3, "why did this person look?"): the access the patient asked about, as
   * their activity log shows it (who, role, organization, when, what, through which relationship); null otherwise.
   */
  accessInQuestion: activityEntry.nullable(),
});

/**
 * POST /api/inbox/threads/:threadId/messages (Idempotency-Key): a reply the patient sees, or an internal note. A reply
 * marked `holding` ("we received your message") leaves the thread acknowledged, still in the pool's to-do; an
 * internal note cannot be one (400 naming `holding`).
 */
export const staffReplyBody = z
  .object({ body: messageBody, attachmentIds, internal: z.boolean().default(false), holding: z.boolean().default(false) })
  .refine((reply) => !(reply.holding && reply.internal), {
    message: 'An internal note cannot be a holding reply.',
    path: ['holding'],
  });
/**
 * POST /api/inbox/threads/:threadId/assign: to the caller (`userId` omitted) or to a member of the pool who may read the
 * thread (GET …/assignees); null unassigns. Someone else who is handed the thread is notified.
 */
export const assignBody = z.object({ userId: uuid.nullable().optional() });
/** Staff who can be handed a thread: enabled members of its pool whose role may read it. */
export const assigneeView = z.object({ id: uuid, name: z.string(), credentials: z.string().nullable() });
/** GET /api/inbox/threads/:threadId/assignees: by name. */
export const assigneeListResponse = z.object({ assignees: z.array(assigneeView) });
/**
 * GET /api/inbox/mine: the open threads addressed to the caller (assigned to them, or naming them as the clinician the
 * patient wrote to) in their pools, unread first, then newest activity; at most 50, with the counts of them all.
 */
export const addressedThreadsResponse = z.object({
  threads: z.array(inboxThreadSummary),
  counts: z.object({ open: z.number().int(), unread: z.number().int(), todo: z.number().int() }),
});
/** POST /api/inbox/threads/:threadId/forward: to another pool of the organization, with an internal note. */
export const forwardBody = z.object({ departmentId: uuid, note: messageBody });
/** POST /api/inbox/threads/:threadId/close: empty body. Assign, close and forward answer `{ ok: true }`. */

/** GET /api/inbox/departments: every department of the organization, the places a thread can be forwarded to. */
export const departmentListResponse = z.object({ departments: z.array(z.object({ departmentId: uuid, name: z.string() })) });

/** A quick reply; a `holding` one ("we received your message") is sent as a holding reply. */
export const messageTemplate = z.object({ id: uuid, title: z.string(), body: z.string(), holding: z.boolean() });
/** GET /api/inbox/templates?departmentId= */
export const templateListResponse = z.object({ templates: z.array(messageTemplate) });

/** POST /api/inbox/threads/:threadId/refill/approve: empty body. POST .../refill/deny: (both answer refillView) */
export const refillDenyBody = z.object({ reason: z.string().trim().min(3, 'Give the patient a reason.').max(1000) });

/** A pharmacy on the patient's list. */
export const pharmacy = z.object({ id: uuid, name: z.string(), address: z.string(), phone: z.string().nullable() });
/** GET /api/patients/:id/pharmacies */
export const pharmacyListResponse = z.object({ pharmacies: z.array(pharmacy) });
/** A new pharmacy. */
export const newPharmacyBody = z.object({
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(500),
  /** Optional; when given, a phone number (isPhoneNumber). */
  phone: phoneNumber("the pharmacy's phone number").nullable().default(null),
});

/** GET /api/patients/:id/refills/medications: the active medications a patient can ask to refill. */
export const refillableMedicationsResponse = z.object({
  medications: z.array(z.object({ id: uuid, name: z.string(), directions: z.string().nullable(), prescriber: z.string().nullable() })),
});
/** POST /api/patients/:id/refills (Idempotency-Key): one or more medications, a pharmacy from the list or a new one, a note. Answer 201 refillView. */
export const newRefillBody = z
  .object({
    medicationIds: z.array(uuid).min(1, 'Choose at least one medication.').max(20),
    pharmacyId: uuid.optional(),
    newPharmacy: newPharmacyBody.optional(),
    note: z.string().trim().max(1000).nullable().default(null),
  })
  .refine((b) => (b.pharmacyId === undefined) !== (b.newPharmacy === undefined), {
    message: 'Choose a pharmacy from your list or add a new one.',
    path: ['pharmacyId'],
  });
/** GET /api/patients/:id/refills: every request, newest first. */
export const refillListResponse = z.object({ refills: z.array(refillView) });

/** Events a user can be told about by email or SMS. */
export const notificationEvent = z.enum([
  'new_message',
  'message_reply',
  'refill_decision',
  'new_result',
  'appointment_reminder',
  'waitlist_offer',
]);
/** One event's channels. */
export const notificationPreference = z.object({ event: notificationEvent, email: z.boolean(), sms: z.boolean() });
/**
 * PUT /api/account/notifications: the choices, and the mobile number texts go to (kept as the phone of the patient's
 * record; left out, the number on file stays). Texts chosen with no valid number on file or sent: 400 naming `mobilePhone`.
 */
export const notificationPreferencesBody = z.object({
  preferences: z.array(notificationPreference).min(1).max(10),
  mobilePhone: phoneNumber('your mobile number').optional(),
});
/**
 * GET and PUT /api/account/notifications answer the choices, whether text messages can be chosen at all (the person has
 * a patient record of their own to keep the number on) and the mobile number on file.
 */
export const notificationSettingsResponse = z.object({
  preferences: z.array(notificationPreference),
  smsAvailable: z.boolean(),
  mobilePhone: z.string().nullable(),
});

export type ThreadSummary = z.infer<typeof threadSummary>;
export type MessageView = z.infer<typeof messageView>;
export type ThreadDetail = z.infer<typeof threadDetailResponse>;
export type InboxThreadSummary = z.infer<typeof inboxThreadSummary>;
export type InboxThreadDetail = z.infer<typeof inboxThreadDetailResponse>;
export type ThreadStatus = z.infer<typeof threadStatus>;
export type AddressedThreads = z.infer<typeof addressedThreadsResponse>;
export type RefillView = z.infer<typeof refillView>;
export type NewThreadBody = z.infer<typeof newThreadBody>;
export type NotificationEvent = z.infer<typeof notificationEvent>;
