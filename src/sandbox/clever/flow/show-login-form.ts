/**
 * Renders the page that asks for credentials: the district login page for
 * Clever Passwords districts, the emulated IdP's page for the others.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { districtLoginPage } from '../pages/district-login-page.ts';
import { idpLoginPage } from '../pages/idp-login-page.ts';
import { sendPage } from '../pages/send-page.ts';
import type { SeedDistrict } from '../seed/seed-schema.ts';
import type { LoginRequest } from '../state/login-requests.ts';
import { ensureSession } from './session-cookie.ts';

interface LoginFormInput {
  loginRequest: LoginRequest;
  district: SeedDistrict;
  /** Set after a failed attempt; the page is then answered with 401. */
  error?: string;
}

type LoginPage = typeof districtLoginPage | typeof idpLoginPage;

function showLoginPage(render: LoginPage) {
  return (ctx: SandboxContext, request: FastifyRequest, reply: FastifyReply, { loginRequest, district, error }: LoginFormInput) => {
    const { csrfToken } = ensureSession(ctx, request, reply);
    return sendPage(reply, render({ district, target: ctx.loginRequests.target(loginRequest), csrfToken, error }), error ? 401 : 200);
  };
}

export const showDistrictLogin = showLoginPage(districtLoginPage);
export const showIdpLogin = showLoginPage(idpLoginPage);
