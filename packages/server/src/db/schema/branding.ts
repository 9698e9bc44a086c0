import { sql } from 'drizzle-orm';
import { check, customType, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity.ts';
import { organizations } from './organization.ts';

/** PostgreSQL `bytea`; node-postgres reads it as a Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * How an organization presents itself (issue 10 §2): the name people see, the primary colour of buttons and links, and
 * a logo. Without a row the organization's own name and Portico's colours are used. The logo is a small PNG or JPEG
 * (at most 200 KB, checked from its bytes) kept here rather than on disk: it is public, read on every page load of the
 * sign-in page at most once per version (cached by its hash), and backed up with the rest.
 */
export const organizationBranding = pgTable(
  'organization_branding',
  {
    organizationId: uuid('organization_id')
      .primaryKey()
      .references(() => organizations.id),
    displayName: text('display_name').notNull(),
    /** `#rrggbb`, lower case; at least 4.5:1 against white (checked by the service, which can say by how much). */
    primaryColor: text('primary_color').notNull(),
    logo: bytea('logo'),
    /** image/png or image/jpeg, from the bytes. */
    logoType: text('logo_type'),
    /** SHA-256 of the logo, hex: its version in URLs and its ETag. */
    logoSha256: text('logo_sha256'),
    logoWidth: integer('logo_width'),
    logoHeight: integer('logo_height'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [
    check('organization_branding_color_check', sql`${t.primaryColor} ~ '^#[0-9a-f]{6}$'`),
    check('organization_branding_logo_type_check', sql`${t.logoType} in ('image/png', 'image/jpeg')`),
    check(
      'organization_branding_logo_check',
      sql`num_nulls(${t.logo}, ${t.logoType}, ${t.logoSha256}, ${t.logoWidth}, ${t.logoHeight}) in (0, 5)`,
    ),
    check('organization_branding_logo_size_check', sql`${t.logo} is null or octet_length(${t.logo}) <= 204800`),
  ],
);
