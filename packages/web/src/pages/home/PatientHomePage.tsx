import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { fetchPatientSummary, patientSummaryKey } from '../../api/patients.ts';
import { PatientSummaryView } from '../../components/PatientSummaryView.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/** A patient's home: greeting, next appointment and recent results from their own record. */
export function PatientHomePage() {
  useDocumentTitle('Home');
  const user = useSignedInUser();
  const patientId = user.patientId;
  // Same key as the summary below, so this reads the one cached answer rather than asking twice.
  const summary = useQuery({
    queryKey: patientSummaryKey(patientId ?? 'none'),
    queryFn: () => fetchPatientSummary(patientId ?? ''),
    enabled: patientId !== null,
  });
  const name = summary.data?.patient.givenName ?? user.displayName;

  return (
    <div className="page">
      <h1>Welcome, {name}</h1>
      {patientId ? (
        <>
          <PatientSummaryView patientId={patientId} audience="self" />
          <section className="section" aria-labelledby="home-appointments">
            <h2 id="home-appointments">Appointments</h2>
            <ul className="link-list">
              <li>
                <Link to="/appointments">Your appointments</Link>: check in, reschedule or cancel, and add visits to your calendar
              </li>
              <li>
                <Link to="/appointments/new">Book an appointment</Link>
              </li>
            </ul>
          </section>
          <section className="section" aria-labelledby="home-record">
            <h2 id="home-record">Your health record</h2>
            <ul className="link-list">
              <li>
                <Link to="/record">Health summary</Link>: problems, allergies, medicines, immunizations and care plans
              </li>
              <li>
                <Link to="/record/visits">Visits</Link>: what happened at past visits and what to do next
              </li>
              <li>
                <Link to="/record/results">All test results</Link>, with trends and comments from your care team
              </li>
              <li>
                <Link to="/record/download">Download or print your record</Link>
              </li>
            </ul>
          </section>
          <section className="section" aria-labelledby="home-messages">
            <h2 id="home-messages">Messages and refills</h2>
            <ul className="link-list">
              <li>
                <Link to="/messages">Messages</Link>: write to your care team about something that is not urgent, and read their answers
              </li>
              <li>
                <Link to="/messages/refills/new">Request a refill</Link> of a medicine you take
              </li>
            </ul>
          </section>
        </>
      ) : (
        <p className="empty-state">
          Your account is not linked to a health record yet, so there is nothing to show here. Contact your clinic and they can link it for
          you.
        </p>
      )}
    </div>
  );
}
