/**
 * An outside provider in words: their name with credentials, and their practice ("Dr. Ana Rivera, MD (Coastal
 * Cardiology)"). Names are data, shown as written.
 */
export function providerInWords(person: { name: string; credentials: string | null; practiceName: string | null }): string {
  const name = person.credentials ? `${person.name}, ${person.credentials}` : person.name;
  return person.practiceName ? `${name} (${person.practiceName})` : name;
}
