/** Which vaccines each demo patient received and when (CDC childhood and adult schedules, simplified). */
import type { VaccineKey } from './codes-medications.ts';
import type { PatientRecord } from './model.ts';
import type { Random } from './random.ts';
import { ageInYears, daysBefore } from './zoned-time.ts';

/** One dose given. */
export interface ImmunizationPlan {
  key: VaccineKey;
  at: Date;
}

const dayMs = 86_400_000;

/** Childhood doses by age in months. */
const childhoodSchedule: readonly [number, readonly VaccineKey[]][] = [
  [0, ['hepB']],
  [2, ['dtap', 'ipv', 'hib', 'pcv13', 'rotavirus', 'hepB']],
  [4, ['dtap', 'ipv', 'hib', 'pcv13', 'rotavirus']],
  [6, ['dtap', 'pcv13', 'hepB']],
  [12, ['mmr', 'varicella', 'hepA', 'hib', 'pcv13']],
  [15, ['dtap']],
  [18, ['hepA']],
  [48, ['dtap', 'ipv', 'mmr', 'varicella']],
  [132, ['tdap', 'hpv', 'menacwy']],
  [138, ['hpv']],
  [192, ['menacwy']],
];

/** A plausible manufacturer lot number. */
export function lotNumber(random: Random): string {
  return `${random.pick(['EL', 'FH', 'UT', 'AC', 'KP', 'TD', 'MR'])}${random.int(1000, 9999)}`;
}

/** Doses a patient received, from birth (children) or over recent years (adults). */
export function planImmunizations(patient: PatientRecord, now: Date, random: Random): ImmunizationPlan[] {
  const birth = new Date(`${patient.birthDate}T15:00:00Z`).getTime();
  const latest = daysBefore(now, 2).getTime();
  const doses: ImmunizationPlan[] = [];
  const give = (key: VaccineKey, at: number) => {
    const weekday = new Date(at).getUTCDay();
    const clinicDay = at + (weekday === 6 ? 2 : weekday === 0 ? 1 : 0) * dayMs;
    if (clinicDay >= birth && clinicDay <= latest) doses.push({ key, at: new Date(clinicDay) });
  };
  const ageAt = (at: number) => ageInYears(patient.birthDate, new Date(at));

  for (const [months, keys] of childhoodSchedule) {
    const at = birth + months * 30.44 * dayMs + random.int(0, 10) * dayMs;
    if (ageInYears(patient.birthDate, now) < 18) keys.forEach((key) => give(key, at));
  }

  const thisYear = now.getUTCFullYear();
  for (let season = thisYear; season > thisYear - 7; season--) {
    const at = Date.UTC(season, 9, 1, 15) + random.int(0, 45) * dayMs;
    if (at - birth >= 183 * dayMs && random.chance(0.75)) give('influenza', at);
  }

  const covid = now.getTime() - 5 * 365 * dayMs + random.int(-60, 60) * dayMs;
  if (ageAt(covid) >= 12 && random.chance(0.8)) {
    give('covid', covid);
    give('covid', covid + 21 * dayMs);
  }
  const age = ageInYears(patient.birthDate, now);
  if (age >= 19 && random.chance(0.8)) give('tdap', now.getTime() - random.int(300, 3300) * dayMs);
  if (age >= 56 && random.chance(0.6)) {
    const first = now.getTime() - random.int(200, 1500) * dayMs;
    give('zoster', first);
    give('zoster', first + random.int(60, 180) * dayMs);
  }
  if (age >= 66 && random.chance(0.7)) give('pcv20', now.getTime() - random.int(60, 1000) * dayMs);
  return doses.sort((a, b) => a.at.getTime() - b.at.getTime());
}
