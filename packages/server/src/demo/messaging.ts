/**
 * Demo secure messaging (issue 4): a few conversations between demo patients and the care-team pools, some answered by
 * the demo nurse and clinician, one closed, one with an internal note, and the organization's quick replies. Built from
 * its own random stream and `now`, so the rest of the demo's ids do not move when this changes.
 */
import type { messages, messageTemplates, messageThreads, threadReads, users } from '../db/schema/index.ts';
import type { DepartmentRecord, StaffRecord } from './model.ts';
import type { Random } from './random.ts';
import type { DepartmentKey } from './roster.ts';
import { ageInYears, daysBefore } from './zoned-time.ts';

/** The messaging rows the demo inserts, in insertion order. */
export interface DemoMessaging {
  threads: (typeof messageThreads.$inferInsert)[];
  messages: (typeof messages.$inferInsert)[];
  threadReads: (typeof threadReads.$inferInsert)[];
  templates: (typeof messageTemplates.$inferInsert)[];
}

/** A demo patient with a portal account: who can write to the care team. */
export interface PortalPatient {
  patientId: string;
  userId: string;
}

/** A patient-to-be-chosen for a portal account, as the plan knows them. */
interface Candidate {
  userId: string | null;
  person: { email: string | null; birthDate: string };
  record: { home: { key: DepartmentKey } };
}

/**
 * The generated patients (pass no scripted ones) who also get a portal account, so the Family Medicine pool holds
 * conversations from more than one patient: the first `count` adults of Family Medicine with an email address.
 */
export function choosePortalPatients<T extends Candidate>(records: readonly T[], now: Date, count = 2): T[] {
  return records
    .filter((r) => r.userId === null && r.person.email !== null && r.record.home.key === 'familyMedicine')
    .filter((r) => ageInYears(r.person.birthDate, now) >= 18)
    .slice(0, count);
}

/** The users row of a demo patient's portal account; the username is their email's local part. */
export function portalUserRow(
  input: { id: string; organizationId: string; email: string; givenName: string; familyName: string },
  now: Date,
): Omit<typeof users.$inferInsert, 'passwordHash'> {
  const createdAt = daysBefore(now, 400);
  return {
    id: input.id,
    organizationId: input.organizationId,
    username: input.email.split('@')[0] ?? input.email,
    email: input.email,
    emailVerifiedAt: createdAt,
    displayName: `${input.givenName} ${input.familyName}`,
    credentials: null,
    totpSecret: null,
    totpEnabledAt: null,
    passwordChangedAt: createdAt,
    createdAt,
  };
}

/** What one scripted message says and who wrote it, `hoursAgo` before now. */
interface ScriptedMessage {
  by: 'patient' | StaffRecord;
  hoursAgo: number;
  body: string;
  internal?: boolean;
}

/** One scripted conversation. */
interface ScriptedThread {
  patient: PortalPatient;
  pool: DepartmentKey;
  clinician?: StaffRecord;
  topic: 'medical_question' | 'prescription_question' | 'test_result_question' | 'appointment' | 'billing' | 'other';
  subject: string;
  assignedTo?: StaffRecord;
  /** Closed by this staff member this many hours ago. */
  closed?: { by: StaffRecord; hoursAgo: number };
  messages: ScriptedMessage[];
  /** When each reader last opened the thread, hours ago (the patient by their user id, staff by record). */
  reads: { reader: 'patient' | StaffRecord; hoursAgo: number }[];
}

const hour = 3_600_000;
const clinicPhone = '(617) 555-0140';

/** The quick replies: the organization's, then Family Medicine's and Endocrinology's own; "Message received" is a holding reply. */
const templateSeeds: { title: string; body: string; pool?: DepartmentKey; holding?: boolean }[] = [
  {
    title: 'Message received',
    body: 'Thank you for your message. A member of your care team will reply within two business days. If this is an emergency, call 911.',
    holding: true,
  },
  {
    title: 'Please schedule a visit',
    body: 'Thank you for the update. This is best looked at in person. Please schedule a visit under Appointments, or call the clinic and we will find a time.',
  },
  { title: 'Result is normal', body: 'Your recent result is within the normal range. No changes to your care are needed right now.' },
  {
    title: 'When to seek urgent care',
    body: 'If your symptoms get worse, or you have chest pain, trouble breathing or fainting, call 911 or go to the nearest emergency department.',
  },
  {
    title: 'Home blood pressure log',
    body: 'Please check your blood pressure each morning for the next two weeks, sitting and rested for five minutes, and send us the readings here.',
    pool: 'familyMedicine',
  },
  {
    title: 'Glucose log request',
    body: 'Please send us your glucose meter readings from the last two weeks (fasting and two hours after meals) before your visit.',
    pool: 'endocrinology',
  },
];

/** The demo conversations, oldest first. */
function scriptedThreads(
  maria: PortalPatient,
  others: readonly PortalPatient[],
  staff: { clinician: StaffRecord; nurse: StaffRecord; frontDesk: StaffRecord },
): ScriptedThread[] {
  const { clinician, nurse, frontDesk } = staff;
  const threads: ScriptedThread[] = [
    {
      patient: maria,
      pool: 'familyMedicine',
      clinician,
      topic: 'test_result_question',
      subject: 'Question about my A1c result',
      closed: { by: clinician, hoursAgo: 38 * 24 },
      messages: [
        { by: 'patient', hoursAgo: 40 * 24, body: 'My A1c came back at 7.4. Is that worse than last time? Should I be worried?' },
        {
          by: clinician,
          hoursAgo: 39 * 24 + 2,
          body: 'Hi Maria, your A1c is a little above our goal of 7 but close to your last result, so nothing to worry about. Keep taking your metformin, and we will talk about small changes to meals and activity at your next visit. No changes are needed right now. - Dr. Chen',
        },
        { by: 'patient', hoursAgo: 39 * 24, body: 'Thank you, that makes sense. See you at my next visit.' },
      ],
      reads: [
        { reader: 'patient', hoursAgo: 39 * 24 },
        { reader: clinician, hoursAgo: 38 * 24 },
      ],
    },
    {
      patient: maria,
      pool: 'familyMedicine',
      topic: 'prescription_question',
      subject: 'Light-headed since the lisinopril dose change',
      assignedTo: nurse,
      messages: [
        {
          by: 'patient',
          hoursAgo: 5 * 24,
          body: 'Since my lisinopril went up to 20 mg I sometimes feel light-headed when I stand up quickly. Is that normal?',
        },
        {
          by: nurse,
          hoursAgo: 5 * 24 - 3,
          body: `Thank you for letting us know, Maria. Mild light-headedness can happen in the first couple of weeks on a higher dose. Stand up slowly, drink plenty of water, and check your blood pressure at home in the morning. If you feel faint, have chest pain, or the dizziness gets worse, call us at ${clinicPhone} or go to urgent care.`,
        },
        { by: 'patient', hoursAgo: 4 * 24 + 20, body: 'Thanks, I will keep a log of my blood pressure and bring it to my visit.' },
        { by: nurse, hoursAgo: 4 * 24, body: 'Sounds good. Dr. Chen will go over the log with you at your visit.' },
      ],
      reads: [
        { reader: 'patient', hoursAgo: 4 * 24 + 20 },
        { reader: nurse, hoursAgo: 4 * 24 },
      ],
    },
    {
      patient: maria,
      pool: 'familyMedicine',
      clinician,
      topic: 'medical_question',
      subject: 'Morning blood sugar readings',
      assignedTo: clinician,
      messages: [
        {
          by: 'patient',
          hoursAgo: 26,
          body: 'Hi Dr. Chen, my fasting blood sugar has been between 150 and 170 most mornings this week, even though I take my metformin every evening. Should I change anything before my appointment?',
        },
        {
          by: nurse,
          hoursAgo: 20,
          internal: true,
          body: 'Fasting readings up for a week; no symptoms of low or very high sugar mentioned. Flagged for Dr. Chen before the follow-up visit.',
        },
      ],
      reads: [
        { reader: 'patient', hoursAgo: 26 },
        { reader: nurse, hoursAgo: 20 },
      ],
    },
    {
      patient: maria,
      pool: 'endocrinology',
      topic: 'appointment',
      subject: 'Preparing for my video visit',
      messages: [
        {
          by: 'patient',
          hoursAgo: 3,
          body: 'Before my video visit with endocrinology, should I send my glucose meter readings here, or will the doctor go over them during the call?',
        },
      ],
      reads: [{ reader: 'patient', hoursAgo: 3 }],
    },
  ];
  const [first, second] = others;
  if (first) {
    threads.push({
      patient: first,
      pool: 'familyMedicine',
      topic: 'appointment',
      subject: 'Rescheduling my physical',
      messages: [
        {
          by: 'patient',
          hoursAgo: 2 * 24,
          body: 'I need to move my annual physical because of a work trip. Is there anything in the afternoon in two or three weeks?',
        },
        {
          by: frontDesk,
          hoursAgo: 24,
          body: `Hi, we have afternoon openings on several days in three weeks. You can pick one under Appointments, or call us at ${clinicPhone} and we will book the time that suits you best.`,
        },
      ],
      reads: [
        { reader: 'patient', hoursAgo: 2 * 24 },
        { reader: frontDesk, hoursAgo: 24 },
      ],
    });
  }
  if (second) {
    threads.push({
      patient: second,
      pool: 'familyMedicine',
      topic: 'medical_question',
      subject: 'Itchy rash on both forearms',
      messages: [
        {
          by: 'patient',
          hoursAgo: 6,
          body: 'I have had an itchy red rash on both forearms since I switched soaps last week. No fever. Should I come in, or try something at home first?',
        },
      ],
      reads: [{ reader: 'patient', hoursAgo: 6 }],
    });
  }
  return threads;
}

/**
 * The demo's conversations and quick replies. Statuses follow the messages as the messaging core sets them (the
 * patient wrote last: waiting; the care team: answered) and internal notes leave the last activity alone.
 */
export function buildDemoMessaging(input: {
  now: Date;
  random: Random;
  organizationId: string;
  departments: Record<DepartmentKey, DepartmentRecord>;
  staff: { clinician: StaffRecord; nurse: StaffRecord; frontDesk: StaffRecord };
  maria: PortalPatient;
  others: readonly PortalPatient[];
}): DemoMessaging {
  const { now, random } = input;
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * hour);
  const out: DemoMessaging = { threads: [], messages: [], threadReads: [], templates: [] };
  for (const thread of scriptedThreads(input.maria, input.others, input.staff)) {
    const id = random.uuid();
    const visible = thread.messages.filter((m) => !m.internal);
    const first = thread.messages[0];
    const last = visible.at(-1);
    if (!first || !last) throw new Error(`The demo thread "${thread.subject}" has no message`);
    out.threads.push({
      id,
      organizationId: input.organizationId,
      patientId: thread.patient.patientId,
      departmentId: input.departments[thread.pool].id,
      clinicianId: thread.clinician?.id ?? null,
      topic: thread.topic,
      subject: thread.subject,
      status: thread.closed ? 'closed' : last.by === 'patient' ? 'waiting' : 'answered',
      assignedTo: thread.assignedTo?.id ?? null,
      createdBy: thread.patient.userId,
      createdAt: at(first.hoursAgo),
      lastActivityAt: at(last.hoursAgo),
      closedAt: thread.closed ? at(thread.closed.hoursAgo) : null,
      closedBy: thread.closed?.by.id ?? null,
    });
    for (const message of thread.messages) {
      out.messages.push({
        id: random.uuid(),
        threadId: id,
        patientId: thread.patient.patientId,
        authorId: message.by === 'patient' ? thread.patient.userId : message.by.id,
        authorRole: message.by === 'patient' ? 'patient' : message.by.role,
        body: message.body,
        internal: message.internal === true,
        createdAt: at(message.hoursAgo),
      });
    }
    for (const read of thread.reads) {
      const userId = read.reader === 'patient' ? thread.patient.userId : read.reader.id;
      out.threadReads.push({ threadId: id, userId, lastReadAt: at(read.hoursAgo) });
    }
  }
  for (const seed of templateSeeds) {
    out.templates.push({
      id: random.uuid(),
      organizationId: input.organizationId,
      departmentId: seed.pool ? input.departments[seed.pool].id : null,
      title: seed.title,
      body: seed.body,
      holding: seed.holding ?? false,
      createdAt: daysBefore(now, 300),
    });
  }
  return out;
}
