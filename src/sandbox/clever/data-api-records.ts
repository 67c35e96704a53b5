/**
 * Seed records in the Data API v3.0's shape. Absent optional fields are
 * left out, as Clever leaves them out; `email` is the exception and is null.
 */
import type { SeedDistrict, SeedUser } from './seed/seed-schema.ts';

function defined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function userRoles(user: SeedUser): Record<string, unknown> {
  const { student, teacher, staff, district_admin } = user.roles;
  const credentials = { district_username: user.username };
  const roles: Record<string, unknown> = {};
  if (student) {
    roles.student = defined({
      credentials,
      grade: student.grade,
      legacy_id: student.legacy_id ?? user.id,
      school: student.school,
      schools: student.schools ?? [student.school],
      sis_id: student.sis_id,
      student_number: student.student_number,
    });
  }
  if (teacher) {
    roles.teacher = defined({
      credentials,
      legacy_id: teacher.legacy_id ?? user.id,
      school: teacher.school,
      schools: teacher.schools ?? [teacher.school],
      sis_id: teacher.sis_id,
      teacher_number: teacher.teacher_number,
      title: teacher.title,
    });
  }
  if (staff) {
    roles.staff = defined({
      credentials,
      legacy_id: staff.legacy_id ?? user.id,
      schools: staff.schools,
      sis_id: staff.sis_id,
      title: staff.title,
    });
  }
  if (district_admin) {
    roles.district_admin = defined({ legacy_id: district_admin.legacy_id ?? user.id, title: district_admin.title });
  }
  return roles;
}

export function userRecord(user: SeedUser): Record<string, unknown> {
  return {
    id: user.id,
    district: user.district,
    email: user.email ?? null,
    name: defined({ first: user.name.first, middle: user.name.middle, last: user.name.last }),
    roles: userRoles(user),
  };
}

export function districtRecord(district: SeedDistrict, issuer: string): Record<string, unknown> {
  return defined({
    id: district.id,
    name: district.name,
    state: district.state,
    portal_url: `${issuer}/in/${district.slug}`,
  });
}
