/** Laboratory tests and vital signs the demo records (LOINC codes, UCUM units, adult reference intervals). */

/** A reference interval; either bound may be absent (LDL has no lower limit). */
export interface ReferenceRange {
  low?: number;
  high?: number;
}

/** A laboratory test. */
export interface LabDef {
  loinc: string;
  display: string;
  text: string;
  unit: string;
  ucum: string;
  decimals: number;
  range(sex: 'female' | 'male', age: number): ReferenceRange;
}

const fixed = (range: ReferenceRange) => (): ReferenceRange => range;

/** Every laboratory test the demo records, by key. */
export const labs = {
  hemoglobinA1c: {
    loinc: '4548-4',
    display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    text: 'Hemoglobin A1c',
    unit: '%',
    ucum: '%',
    decimals: 1,
    range: fixed({ low: 4.0, high: 5.6 }),
  },
  glucose: {
    loinc: '2345-7',
    display: 'Glucose [Mass/volume] in Serum or Plasma',
    text: 'Glucose',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    decimals: 0,
    range: fixed({ low: 70, high: 99 }),
  },
  ldl: {
    loinc: '13457-7',
    display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation',
    text: 'LDL cholesterol',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    decimals: 0,
    range: fixed({ high: 99 }),
  },
  hdl: {
    loinc: '2085-9',
    display: 'Cholesterol in HDL [Mass/volume] in Serum or Plasma',
    text: 'HDL cholesterol',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    decimals: 0,
    range: (sex: 'female' | 'male'): ReferenceRange => ({ low: sex === 'female' ? 50 : 40 }),
  },
  triglycerides: {
    loinc: '2571-8',
    display: 'Triglyceride [Mass/volume] in Serum or Plasma',
    text: 'Triglycerides',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    decimals: 0,
    range: fixed({ high: 149 }),
  },
  cholesterol: {
    loinc: '2093-3',
    display: 'Cholesterol [Mass/volume] in Serum or Plasma',
    text: 'Total cholesterol',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    decimals: 0,
    range: fixed({ high: 199 }),
  },
  hemoglobin: {
    loinc: '718-7',
    display: 'Hemoglobin [Mass/volume] in Blood',
    text: 'Hemoglobin',
    unit: 'g/dL',
    ucum: 'g/dL',
    decimals: 1,
    range: (sex: 'female' | 'male', age: number): ReferenceRange => {
      if (age < 12) return { low: 11.0, high: 14.5 };
      return sex === 'female' ? { low: 12.0, high: 15.5 } : { low: 13.5, high: 17.5 };
    },
  },
  creatinine: {
    loinc: '2160-0',
    display: 'Creatinine [Mass/volume] in Serum or Plasma',
    text: 'Creatinine',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    decimals: 2,
    range: (sex: 'female' | 'male', age: number): ReferenceRange => {
      if (age < 18) return { low: 0.3, high: 0.9 };
      return sex === 'female' ? { low: 0.59, high: 1.04 } : { low: 0.74, high: 1.35 };
    },
  },
  potassium: {
    loinc: '2823-3',
    display: 'Potassium [Moles/volume] in Serum or Plasma',
    text: 'Potassium',
    unit: 'mmol/L',
    ucum: 'mmol/L',
    decimals: 1,
    range: fixed({ low: 3.5, high: 5.1 }),
  },
  sodium: {
    loinc: '2951-2',
    display: 'Sodium [Moles/volume] in Serum or Plasma',
    text: 'Sodium',
    unit: 'mmol/L',
    ucum: 'mmol/L',
    decimals: 0,
    range: fixed({ low: 136, high: 145 }),
  },
  tsh: {
    loinc: '3016-3',
    display: 'Thyrotropin [Units/volume] in Serum or Plasma',
    text: 'TSH',
    unit: 'mIU/L',
    ucum: 'm[IU]/L',
    decimals: 2,
    range: fixed({ low: 0.45, high: 4.5 }),
  },
} satisfies Record<string, LabDef>;

/** Key of a laboratory test. */
export type LabKey = keyof typeof labs;

/** A laboratory test's definition under its declared type. */
export function labDef(key: LabKey): LabDef {
  return labs[key];
}

/** Vital-sign LOINC codes (FHIR vital signs profile). */
export const vitalCodes = {
  bloodPressure: { loinc: '85354-9', display: 'Blood pressure panel with all children optional', text: 'Blood pressure' },
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure', text: 'Systolic' },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure', text: 'Diastolic' },
  heartRate: { loinc: '8867-4', display: 'Heart rate', text: 'Heart rate' },
  weight: { loinc: '29463-7', display: 'Body weight', text: 'Weight' },
  height: { loinc: '8302-2', display: 'Body height', text: 'Height' },
  bmi: { loinc: '39156-5', display: 'Body mass index (BMI) [Ratio]', text: 'Body mass index' },
} as const;

/** Key of a vital sign. */
export type VitalKey = keyof typeof vitalCodes;

/** UCUM unit of each single-valued vital sign. */
export const vitalUnits: Record<Exclude<VitalKey, 'bloodPressure' | 'systolic' | 'diastolic'>, { unit: string; ucum: string }> = {
  heartRate: { unit: 'beats/minute', ucum: '/min' },
  weight: { unit: 'kg', ucum: 'kg' },
  height: { unit: 'cm', ucum: 'cm' },
  bmi: { unit: 'kg/m2', ucum: 'kg/m2' },
};
