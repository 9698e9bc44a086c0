/** The demo sign-ins the server prints at start and the README lists. */

/** Password of every demo account (staff and the demo patient). Demo data only; never a real deployment. */
export const demoPassword = 'Portico-Demo-2026!';

/** Base32 TOTP secret shared by the demo staff sign-ins, so an authenticator app can be set up from the README. */
export const demoTotpSecret = 'PORTICODEMOTOTPSECRETKEY';

/** Activation code handed to Jordan Rivera, the demo patient without a portal account yet. */
export const demoActivation = {
  code: 'PORTICO-DEMO',
  givenName: 'Jordan',
  familyName: 'Rivera',
  mrn: '100001',
  birthDate: '1990-04-12',
  validDays: 30,
} as const;

/** The demo patient who reads the portal, and gets emails, in Spanish (issue 10); same password. */
export const demoSpanishSpeaker = 'jose.petrov';

/** One documented demo sign-in. */
export interface DemoSignIn {
  username: string;
  role:
    | 'patient'
    | 'proxy'
    | 'clinician'
    | 'nurse'
    | 'front_desk'
    | 'admin'
    | 'privacy_officer'
    | 'support'
    | 'outside_provider'
    | 'sponsored_staff';
  description: string;
  mfa: 'none' | 'totp';
}

/** The documented demo sign-ins, all with `demoPassword`. */
export const demoSignIns: readonly DemoSignIn[] = [
  {
    username: 'patient',
    role: 'patient',
    description: 'Maria Alvarez, adult patient with several years of history and a visit coming up',
    mfa: 'none',
  },
  {
    username: 'parent',
    role: 'proxy',
    description: 'Ana Alvarez, mother of Leo (7, full access) and Sofia (15: limited, her mental-health result stays private)',
    mfa: 'none',
  },
  {
    username: 'daughter',
    role: 'proxy',
    description: 'Grace Okafor, with full access to her father Robert Okafor’s record, which he granted her',
    mfa: 'none',
  },
  {
    username: 'robert.okafor',
    role: 'patient',
    description: 'Robert Okafor, 84, who shares his record with his daughter (Sharing and privacy)',
    mfa: 'none',
  },
  {
    username: 'clinician',
    role: 'clinician',
    description: 'Dr. Sarah Chen, MD, Family Medicine; primary care physician of Maria Alvarez',
    mfa: 'totp',
  },
  {
    username: 'nurse',
    role: 'nurse',
    description: 'James Whitaker, RN, Family Medicine and Endocrinology',
    mfa: 'totp',
  },
  {
    username: 'frontdesk',
    role: 'front_desk',
    description: 'Keisha Morgan, front desk for every department',
    mfa: 'totp',
  },
  {
    username: 'admin',
    role: 'admin',
    description: 'Priya Raman, administrator of Portico Health',
    mfa: 'totp',
  },
  {
    username: 'privacy',
    role: 'privacy_officer',
    description: 'Helen Marsh, privacy officer: answers "why did this person look?" in the Privacy office pool',
    mfa: 'totp',
  },
  {
    username: 'support',
    role: 'support',
    description: 'Tomas Lindqvist, support team: registrations (one waits), PCP and access requests, accounts, audit report',
    mfa: 'totp',
  },
  {
    username: 'dr.harbor',
    role: 'outside_provider',
    description: 'Dr. Naomi Harbor, MD, Harbor Pediatrics: her partner Dr. Castillo is the PCP of Malik Fernandes and Rafael Park',
    mfa: 'totp',
  },
  {
    username: 'nurse.harbor',
    role: 'sponsored_staff',
    description: 'Grace Oduya, RN, Harbor Pediatrics, sponsored by Dr. Harbor: sees the practice’s patients',
    mfa: 'totp',
  },
  {
    username: 'dr.adeyemi',
    role: 'outside_provider',
    description: 'Dr. Adaeze Adeyemi, MD, Bayside Family Medicine: Sponsored User Validation due; a token waits for her',
    mfa: 'totp',
  },
];
