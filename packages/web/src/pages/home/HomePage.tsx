import { useSignedInUser } from '../../session/session-context.ts';
import { PatientHomePage } from './PatientHomePage.tsx';
import { StaffHomePage } from './StaffHomePage.tsx';

/** `/`: the patient's own summary, or the staff patient search; roles not known yet get the staff view. */
export function HomePage() {
  const user = useSignedInUser();
  return user.role === 'patient' ? <PatientHomePage /> : <StaffHomePage />;
}
