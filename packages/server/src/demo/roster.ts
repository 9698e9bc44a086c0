/** The demo health system: one organization, its departments and its staff. */

/** Which demo department a row belongs to, before ids exist. */
export type DepartmentKey = 'familyMedicine' | 'cardiology' | 'pediatrics' | 'endocrinology';

/** A department as the generator describes it. */
export interface DepartmentSeed {
  key: DepartmentKey;
  name: string;
  specialty: string;
  phone: string;
  address: string;
  timeZone: string;
}

/** Staff roles the demo creates (users.role values). */
export type StaffRole = 'clinician' | 'nurse' | 'front_desk' | 'billing' | 'admin';

/** A staff account as the generator describes it. */
export interface StaffSeed {
  username: string;
  email: string;
  role: StaffRole;
  givenName: string;
  familyName: string;
  credentials: string | null;
  departments: readonly DepartmentKey[];
  /** Demo sign-ins for staff use TOTP so the MFA step can be shown; other generated staff have none. */
  hasTotp: boolean;
}

/** The demo organization (555-01xx numbers are reserved for fiction). */
export const demoOrganization = { name: 'Portico Health', slug: 'portico-health', phone: '(617) 555-0100' } as const;

/** Demo departments: three in Massachusetts, Pediatrics in Chicago so two time zones are exercised. */
export const demoDepartments: readonly DepartmentSeed[] = [
  {
    key: 'familyMedicine',
    name: 'Family Medicine',
    specialty: 'Family Medicine',
    phone: '(617) 555-0140',
    address: '120 Harbor Street, Suite 200, Boston, MA 02110',
    timeZone: 'America/New_York',
  },
  {
    key: 'cardiology',
    name: 'Cardiology',
    specialty: 'Cardiovascular Disease',
    phone: '(617) 555-0150',
    address: '45 Beacon Park Drive, 3rd Floor, Boston, MA 02115',
    timeZone: 'America/New_York',
  },
  {
    key: 'pediatrics',
    name: 'Pediatrics',
    specialty: 'Pediatrics',
    phone: '(312) 555-0160',
    address: '2300 North Lakeview Avenue, Chicago, IL 60614',
    timeZone: 'America/Chicago',
  },
  {
    key: 'endocrinology',
    name: 'Endocrinology',
    specialty: 'Endocrinology, Diabetes and Metabolism',
    phone: '(617) 555-0170',
    address: '88 Riverside Plaza, Suite 410, Cambridge, MA 02139',
    timeZone: 'America/New_York',
  },
];

const allDepartments: readonly DepartmentKey[] = ['familyMedicine', 'cardiology', 'pediatrics', 'endocrinology'];

/** Every staff account; the first five usernames are the documented demo sign-ins. */
export const demoStaff: readonly StaffSeed[] = [
  {
    username: 'clinician',
    email: 'clinician@demo.portico.local',
    role: 'clinician',
    givenName: 'Sarah',
    familyName: 'Chen',
    credentials: 'MD',
    departments: ['familyMedicine'],
    hasTotp: true,
  },
  {
    username: 'nurse',
    email: 'nurse@demo.portico.local',
    role: 'nurse',
    givenName: 'James',
    familyName: 'Whitaker',
    credentials: 'RN',
    departments: ['familyMedicine', 'endocrinology'],
    hasTotp: true,
  },
  {
    username: 'frontdesk',
    email: 'frontdesk@demo.portico.local',
    role: 'front_desk',
    givenName: 'Keisha',
    familyName: 'Morgan',
    credentials: null,
    departments: allDepartments,
    hasTotp: true,
  },
  {
    username: 'admin',
    email: 'admin@demo.portico.local',
    role: 'admin',
    givenName: 'Priya',
    familyName: 'Raman',
    credentials: null,
    departments: allDepartments,
    hasTotp: true,
  },
  {
    username: 'dr.kowalski',
    email: 'anna.kowalski@demo.portico.local',
    role: 'clinician',
    givenName: 'Anna',
    familyName: 'Kowalski',
    credentials: 'DO',
    departments: ['familyMedicine'],
    hasTotp: false,
  },
  {
    username: 'np.brooks',
    email: 'tanya.brooks@demo.portico.local',
    role: 'clinician',
    givenName: 'Tanya',
    familyName: 'Brooks',
    credentials: 'NP',
    departments: ['familyMedicine'],
    hasTotp: false,
  },
  {
    username: 'dr.okafor',
    email: 'chidi.okafor@demo.portico.local',
    role: 'clinician',
    givenName: 'Chidi',
    familyName: 'Okafor',
    credentials: 'MD',
    departments: ['cardiology'],
    hasTotp: false,
  },
  {
    username: 'dr.nguyen',
    email: 'linh.nguyen@demo.portico.local',
    role: 'clinician',
    givenName: 'Linh',
    familyName: 'Nguyen',
    credentials: 'MD',
    departments: ['pediatrics'],
    hasTotp: false,
  },
  {
    username: 'dr.haddad',
    email: 'omar.haddad@demo.portico.local',
    role: 'clinician',
    givenName: 'Omar',
    familyName: 'Haddad',
    credentials: 'MD',
    departments: ['endocrinology'],
    hasTotp: false,
  },
  {
    username: 'rn.mendez',
    email: 'lucia.mendez@demo.portico.local',
    role: 'nurse',
    givenName: 'Lucía',
    familyName: 'Méndez',
    credentials: 'RN',
    departments: ['pediatrics', 'cardiology'],
    hasTotp: false,
  },
  {
    username: 'billing.lee',
    email: 'daniel.lee@demo.portico.local',
    role: 'billing',
    givenName: 'Daniel',
    familyName: 'Lee',
    credentials: null,
    departments: allDepartments,
    hasTotp: false,
  },
];

/** "Sarah Chen, MD": how a staff member is named in FHIR resources and on screen. */
export function staffSignature(staff: Pick<StaffSeed, 'givenName' | 'familyName' | 'credentials'>): string {
  const name = `${staff.givenName} ${staff.familyName}`;
  return staff.credentials ? `${name}, ${staff.credentials}` : name;
}
