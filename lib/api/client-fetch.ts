// Calls from the browser to /api/v1, turning Wharf's error JSON into a
// message a component can show. Network failures say so instead of throwing.

export interface ApiFailure {
  message: string;
  status: number;
  path?: (string | number)[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly path?: (string | number)[];
  constructor(failure: ApiFailure) {
    super(failure.message);
    this.status = failure.status;
    this.path = failure.path;
  }
}

export async function callApi<T>(url: string, init?: { method?: string; body?: unknown }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init?.method ?? "GET",
      headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
      body: init?.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError({ message: "Wharf could not be reached; check your connection and try again.", status: 0 });
  }
  const body = (await response.json().catch(() => null)) as { error?: { message?: string; path?: (string | number)[] } } | null;
  if (!response.ok) {
    throw new ApiError({
      message: body?.error?.message ?? `Wharf answered HTTP ${response.status}; try again.`,
      status: response.status,
      path: body?.error?.path,
    });
  }
  return body as T;
}
