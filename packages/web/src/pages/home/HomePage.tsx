import { hasMemberships } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { PatientHomePage } from './PatientHomePage.tsx';
import { StaffHomePage } from './StaffHomePage.tsx';

/**
 * `/`: anyone with a membership gets the staff home (which links to their own record when they also have one); anyone
 * else gets the patient home with their own summary.
 */
export function HomePage() {
  const user = useSignedInUser();
  return hasMemberships(user) ? <StaffHomePage /> : <PatientHomePage />;
}
