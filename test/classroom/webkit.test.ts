/** Classroom's certification scenarios (scenarios.ts) in webkit, plus a phone-sized screen. */
import { classroomBrowserSuite } from './scenarios.ts';

classroomBrowserSuite('webkit', { phone: true });
