/** Classroom's certification scenarios (scenarios.ts) in chromium, plus a phone-sized screen. */
import { classroomBrowserSuite } from './scenarios.ts';

classroomBrowserSuite('chromium', { phone: true });
