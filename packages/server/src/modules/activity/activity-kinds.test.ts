import { describe, expect, it } from 'vitest';
import { activityAddresseeOf, activityFormatOf, activityKindOf, activityViaOf, staffRoleOfReason } from './activity-kinds.ts';
import { csvCell, csvText } from './activity-csv.ts';

describe('activityKindOf', () => {
  it.each([
    ['record.summary.read', 'summary'],
    ['patient.summary.read', 'overview'],
    ['result.read', 'result'],
    ['result.list.search', 'results'],
    ['record.visit.read', 'visit'],
    ['record.export', 'download'],
    ['appointment.calendar.download', 'calendar'],
    ['message.thread.read', 'message'],
    ['inbox.message.send', 'message_sent'],
    ['activity.question.ask', 'message_sent'],
    ['scheduling.open-days.read', 'appointments'],
    ['refill.request', 'refills'],
    ['pharmacy.list', 'refills'],
    ['proxy.invitation.create', 'sharing'],
    ['record.transmit', 'transmit'],
    ['share_link.summary.read', 'summary'],
    ['share_link.download', 'download'],
    ['share_link.open', 'sharing'],
    ['share_link.create', 'sharing'],
    ['share_link.revoke', 'sharing'],
    ['activity.read', 'activity'],
    ['patient.search.result', 'search'],
    ['care_team.add', 'sharing'],
    ['outside_request.create', 'sharing'],
    ['outside_request.approve', 'sharing'],
    ['provider_token.issue', 'sharing'],
    ['access_grant.token.redeem', 'sharing'],
    ['support.access_request.patient.read', 'details'],
    ['support.audit_report.patient.read', 'details'],
    ['something.new', 'other'],
  ])('reads %s as %s', (action, kind) => {
    expect(activityKindOf(action)).toBe(kind);
  });
});

describe('the details an entry shows', () => {
  it('names the format of downloads and the calendar file', () => {
    expect(activityFormatOf('record.export', { format: 'pdf' })).toBe('pdf');
    expect(activityFormatOf('appointment.calendar.download', {})).toBe('ics');
    expect(activityFormatOf('record.export', { format: 'exe' })).toBeNull();
    expect(activityFormatOf('activity.export', { format: 'csv' })).toBe('csv');
    expect(activityFormatOf('result.read', { format: 'pdf' })).toBeNull();
    expect(activityFormatOf('share_link.download', { format: 'pdf' })).toBe('pdf');
  });

  it('takes only known relationships, text addressees and staff roles', () => {
    expect(activityViaOf({ via: 'proxy' })).toBe('proxy');
    expect(activityViaOf({ via: 'root' })).toBeNull();
    expect(activityAddresseeOf({ addressee: 'dr@example.test' })).toBe('dr@example.test');
    expect(activityAddresseeOf({ addressee: 42 })).toBeNull();
    expect(staffRoleOfReason('organization_front_desk')).toBe('front_desk');
    expect(staffRoleOfReason('organization_privacy_officer')).toBe('privacy_officer');
    expect(staffRoleOfReason('organization_superuser')).toBeNull();
    expect(staffRoleOfReason('proxy')).toBeNull();
  });
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['=1+1', "'=1+1"],
    ['+33 1 23', "'+33 1 23"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("x"),y', `"'=HYPERLINK(""x""),y"`],
    ['two\nlines', '"two\nlines"'],
    ['São Paulo', 'São Paulo'],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes rows with CRLF line ends after a byte order mark', () => {
    expect(
      csvText([
        ['a', 'b'],
        ['c', '=d'],
      ]),
    ).toBe("\uFEFFa,b\r\nc,'=d\r\n");
  });
});
