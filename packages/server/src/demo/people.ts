/** Names, addresses and phone numbers for demo patients: believable, diverse, and plainly fictional. */
import type { Random } from './random.ts';
import { formatCivilDate, type CivilDate } from './zoned-time.ts';

/** Where a demo patient lives; adults near the Boston clinics, children near the Chicago pediatric clinic. */
export type Region = 'massachusetts' | 'illinois';

/** Demographics of one generated patient. */
export interface PersonSeed {
  givenName: string;
  familyName: string;
  sex: 'female' | 'male';
  birthDate: string;
  phone: string;
  email: string | null;
  address: string;
}

const femaleNames = [
  'Aaliyah',
  'Amara',
  'Ana',
  'Chloé',
  'Deborah',
  'Eleanor',
  'Emily',
  'Fatima',
  'Grace',
  'Hana',
  'Imani',
  'Ingrid',
  'Leilani',
  'Maya',
  'Mei',
  'Nadia',
  'Olivia',
  'Patricia',
  'Priyanka',
  'Rosa',
  'Sakura',
  'Siobhán',
  'Sofia',
  'Tamar',
  'Valentina',
  'Yasmin',
  'Zoe',
  'Beatriz',
  'Joan',
  'Kateryna',
] as const;

const maleNames = [
  'Ahmed',
  'Andre',
  'Arjun',
  'Benjamin',
  'Carlos',
  'Darnell',
  'David',
  'Elijah',
  'Ethan',
  'Hiroshi',
  'Ibrahim',
  'Jamal',
  'José',
  'Kwame',
  'Liam',
  'Luis',
  'Malik',
  'Mateo',
  'Min-jun',
  'Noah',
  'Oluwaseun',
  'Pedro',
  'Rafael',
  'Samuel',
  'Tariq',
  'Thomas',
  'Viktor',
  'Walter',
  'Xavier',
  'Yusuf',
] as const;

const familyNames = [
  'Abdullah',
  'Adeyemi',
  'Almeida',
  'Anderson',
  'Bianchi',
  'Brennan',
  'Castillo',
  'Cohen',
  'Dang',
  'Delgado',
  'Dubois',
  'Edwards',
  'Fernandes',
  'Goldberg',
  'Gonzalez',
  'Hashemi',
  'Novak',
  'Jackson',
  'Johansson',
  'Kapoor',
  'Kim',
  'Kowalczyk',
  'Mbeki',
  "O'Connor",
  'Osei',
  'Park',
  'Petrov',
  'Ramirez',
  'Robinson',
  'Sato',
  'Schmidt',
  'Silva',
  'Sullivan',
  'Tanaka',
  'Thompson',
  'Tran',
  'Washington',
  'Williams',
  'Wong',
  'Yilmaz',
  'Zhang',
] as const;

const streets = [
  'Maple Avenue',
  'Elm Street',
  'Washington Street',
  'Chestnut Street',
  'Highland Avenue',
  'Pleasant Street',
  'Park Avenue',
  'Lincoln Avenue',
  'Cedar Street',
  'Prospect Street',
  'Summer Street',
  'Walnut Street',
  'Spring Street',
  'Linden Street',
  'Franklin Street',
  'Forest Avenue',
] as const;

const towns: Record<Region, readonly { town: string; state: string; zip: string; areaCodes: readonly string[] }[]> = {
  massachusetts: [
    { town: 'Boston', state: 'MA', zip: '02118', areaCodes: ['617', '857'] },
    { town: 'Dorchester', state: 'MA', zip: '02124', areaCodes: ['617', '857'] },
    { town: 'Cambridge', state: 'MA', zip: '02139', areaCodes: ['617', '857'] },
    { town: 'Somerville', state: 'MA', zip: '02143', areaCodes: ['617', '857'] },
    { town: 'Quincy', state: 'MA', zip: '02169', areaCodes: ['617', '857'] },
    { town: 'Brookline', state: 'MA', zip: '02446', areaCodes: ['617'] },
    { town: 'Newton', state: 'MA', zip: '02458', areaCodes: ['617'] },
    { town: 'Medford', state: 'MA', zip: '02155', areaCodes: ['781', '339'] },
    { town: 'Malden', state: 'MA', zip: '02148', areaCodes: ['781', '339'] },
    { town: 'Waltham', state: 'MA', zip: '02453', areaCodes: ['781', '339'] },
  ],
  illinois: [
    { town: 'Chicago', state: 'IL', zip: '60614', areaCodes: ['312', '773'] },
    { town: 'Chicago', state: 'IL', zip: '60640', areaCodes: ['773', '872'] },
    { town: 'Evanston', state: 'IL', zip: '60201', areaCodes: ['847', '224'] },
    { town: 'Oak Park', state: 'IL', zip: '60302', areaCodes: ['708'] },
    { town: 'Skokie', state: 'IL', zip: '60076', areaCodes: ['847', '224'] },
    { town: 'Berwyn', state: 'IL', zip: '60402', areaCodes: ['708'] },
  ],
};

/** Keeps generated names and phone numbers unique across the whole demo. */
export class UniquePool {
  private readonly names = new Set<string>();
  private readonly phones = new Set<string>();

  /** Records a name or phone the generator must not reuse (the scripted demo people and staff). */
  reserve(givenName: string, familyName: string, phone?: string): void {
    this.names.add(givenName.toLowerCase());
    this.names.add(familyName.toLowerCase());
    if (phone) this.phones.add(phone);
  }

  /** True when neither name is taken yet (or, when `strict` is false, only that they are not both taken), and claims them. */
  claimName(givenName: string, familyName: string, strict: boolean): boolean {
    const given = givenName.toLowerCase();
    const family = familyName.toLowerCase();
    const taken = strict ? this.names.has(given) || this.names.has(family) : this.names.has(given) && this.names.has(family);
    if (taken) return false;
    this.names.add(given);
    this.names.add(family);
    return true;
  }

  /** True when the phone number was free, and claims it. */
  claimPhone(phone: string): boolean {
    if (this.phones.has(phone)) return false;
    this.phones.add(phone);
    return true;
  }
}

/** Lower-case ASCII for an email local part: "Siobhán O'Connor" gives "siobhan.oconnor". */
function emailPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A fictional phone number: 555-0100 to 555-0199 are reserved for fiction in the NANP. */
function drawPhone(random: Random, areaCodes: readonly string[], pool: UniquePool): string {
  for (;;) {
    const phone = `(${random.pick(areaCodes)}) 555-01${String(random.int(0, 99)).padStart(2, '0')}`;
    if (pool.claimPhone(phone)) return phone;
  }
}

/** One generated person of the given sex, age and region. */
export function generatePerson(
  random: Random,
  options: { sex: 'female' | 'male'; birth: CivilDate; region: Region; withEmail: boolean },
  pool: UniquePool,
): PersonSeed {
  let givenName = '';
  let familyName = '';
  let attempts = 0;
  do {
    givenName = random.pick(options.sex === 'female' ? femaleNames : maleNames);
    familyName = random.pick(familyNames);
    attempts += 1;
  } while (!pool.claimName(givenName, familyName, attempts < 200));
  const place = random.pick(towns[options.region]);
  const unit = random.chance(0.35) ? `, Apt ${random.int(1, 6)}${random.pick(['', 'A', 'B', 'R'])}` : '';
  const address = `${random.int(12, 1480)} ${random.pick(streets)}${unit}, ${place.town}, ${place.state} ${place.zip}`;
  const emailDomain = random.pick(['example.com', 'example.org', 'example.net']);
  return {
    givenName,
    familyName,
    sex: options.sex,
    birthDate: formatCivilDate(options.birth),
    phone: drawPhone(random, place.areaCodes, pool),
    email: options.withEmail ? `${emailPart(givenName)}.${emailPart(familyName)}@${emailDomain}` : null,
    address,
  };
}
