/** Classroom's certification scenarios (scenarios.ts) in firefox. */
import { classroomBrowserSuite } from './scenarios.ts';

classroomBrowserSuite('firefox', { phone: false });
