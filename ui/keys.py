"""Every ``st.session_state`` key the app reads or writes, declared once.

A key is the name of one value that lives for one browser tab (its session), shared by every page
that tab visits. Declaring them here shows at a glance what a session holds, stops two pages from
using one name for two things, and lets tests find each key's readers with one search. Widget
``key=`` arguments are session-state keys too, when code reads them back.

Values only ever hold small things (ids, paths, flags): never image bytes, and never secrets.
"""

# --- every page -----------------------------------------------------------------------------------
#: The learner profile picked in the sidebar (ui.state.CurrentLearner), or absent.
LEARNER = "learner"
#: A sentence about the profile just opened or made, shown once in the sidebar.
PROFILE_NOTICE = "profile_notice"
#: Set once this tab has looked for a remembered-device cookie.
DEVICE_CHECKED = "_device_checked"
#: A LearnerError a widget callback raised, shown at the top of the next run (ui.errors).
PENDING_ERROR = "learner_error_pending"
#: Presenter mode on or off for this tab (the sidebar toggle's key too; ui.presenter).
PRESENTER = "presenter"

# --- flashcards (app_pages/flashcards.py) ---------------------------------------------------------
#: The card whose answer is showing.
FC_REVEALED = "fc_revealed"
#: Card ids still to go in this cram round, in order.
FC_CRAM_LIST = "fc_cram_list"
#: The sentence saying what the last rating did, shown once.
FC_NOTE = "fc_note"
#: The cram-mode toggle.
FC_CRAM = "fc_cram"
#: The lesson whose cards are shown ("all" for every card); the selectbox's key.
FC_LESSON = "fc_lesson"
#: The review id that "Undo this rating" would take back, while it can.
FC_UNDO = "fc_undo"
#: Prefix of the four rating buttons' keys (``fc_rate_1`` .. ``fc_rate_4``).
FC_RATE_PREFIX = "fc_rate_"

# --- knowledge check (app_pages/quiz.py, ui/quiz/) ------------------------------------------------
#: The attempt this tab has already shown, so "Welcome back" is said only to a resumed attempt.
QUIZ_SEEN = "quiz_seen"
#: The finished attempt whose results are on screen.
QUIZ_RESULTS = "quiz_results"
#: A sentence shown once above the results (for example, that time ran out).
QUIZ_NOTE = "quiz_note"
#: (mode, scope) a lesson link asked for while another attempt was still open.
QUIZ_WANTED = "quiz_wanted"
#: The "Hide timer" toggle of the exam simulation.
QUIZ_HIDE_TIMER = "quiz_hide_timer"
#: The menu's mode radio, lesson and objective pickers.
QUIZ_MODE = "quiz_mode"
QUIZ_LESSON = "quiz_lesson"
QUIZ_OBJECTIVE = "quiz_objective"
#: The exam simulation's length (questions) and time (minutes) inputs.
QUIZ_EXAM_ITEMS = "quiz_exam_items"
QUIZ_EXAM_MINUTES = "quiz_exam_minutes"
#: Prefix of the review screen's "Question n" buttons (``quiz_goto_0`` ...).
QUIZ_GOTO_PREFIX = "quiz_goto_"
#: Prefix of a question's widget keys (``q-<attempt>-<item>``), cleared with the profile.
QUIZ_ITEM_PREFIX = "q-"

# --- studio (app_pages/studio.py) -----------------------------------------------------------------
#: Each studio tab's last run (file paths and notes, never bytes), by operation.
STUDIO_RUNS = "studio_runs"
#: The "smooth the enlarged pixels" toggle.
STUDIO_SMOOTH = "studio_smooth"
#: This visit's id, for the in-memory rate limiter when no profile is open.
STUDIO_VISIT = "studio_visit"
#: The in-memory rate limiter of a visit without a profile.
STUDIO_LIMITER = "studio_limiter"
#: The example prompt picked in the studio's "Start from an example" box.
STUDIO_EXAMPLE = "studio_example"
#: The Create tab's prompt box.
STUDIO_PROMPT = "studio_prompt"
#: The image the Edit tab starts from (a gallery path), set by "Edit this image".
STUDIO_EDIT_SOURCE = "studio_edit_source"
#: The Edit tab's "Area to change" choice (paint it, a region, or an uploaded mask).
STUDIO_EDIT_AREA = "studio_edit_area"
#: Prefix of the Edit tab's painting canvas, one per image (the rest is a hash of the image's path).
STUDIO_EDIT_PAINT_PREFIX = "studio_edit_paint_"
#: A sentence shown once in the Edit tab after "Edit this image".
STUDIO_EDIT_HINT = "studio_edit_hint"
#: The history entry waiting for "Delete" to be confirmed.
STUDIO_CONFIRM_DELETE = "studio_confirm_delete"
#: When the service's Retry-After ends (the Generate button's countdown).
STUDIO_WAIT_UNTIL = "studio_wait_until"

# --- Content Credentials viewer (app_pages/provenance_viewer.py) -----------------------------------
#: The viewer's "Image to check" choice (the radio's key).
VIEWER_SOURCE = "pv_source"
#: An image sent from the studio by "Inspect the credentials": {"path": a gallery or visit file, "label": ...}.
#: Only the studio writes it, with a path of an image it made; the viewer checks the path is in the data folder.
VIEWER_IMAGE = "pv_studio_image"

# --- studio backend (ui/studio/backend.py, read by the sidebar too) -------------------------------------
#: The backend chosen in the studio (the radio's key); the sidebar names the same one.
STUDIO_BACKEND = "studio_backend"

# --- diffusion lesson (ui/diffusion_lab.py) ---------------------------------------------------------
#: The step viewer's seed and number of steps: every panel below it uses the same run.
DL_SEED = "dl_seed"
DL_STEPS = "dl_steps"

# --- vision lesson (ui/vision_lab.py) -----------------------------------------------------------------
#: Suffix of the key that keeps a cloud description: (image digest, Description), per describe button.
VL_RESULT_SUFFIX = "_result"

# --- live quiz (ui/classroom_widgets.py) -------------------------------------------------------------
#: This tab passed the passcode check (a flag, never the passcode).
CLASSROOM_HOST = "classroom_host"
#: Wrong passcodes typed in this tab.
CLASSROOM_FAILURES = "classroom_failures"
#: The host pressed "End the quiz now" and is asked to confirm.
CLASSROOM_CONFIRM_END = "classroom_confirm_end"
#: The learner's seat in a room (code, nickname, token).
CLASSROOM_PLAYER = "classroom_player"
#: Prefix of the learner's answer result per question (``classroom_result_<index>``).
CLASSROOM_RESULT_PREFIX = "classroom_result_"
#: Prefix of the learner's ticks in a "select N" question (``classroom_pick_<index>_<option>``).
CLASSROOM_PICK_PREFIX = "classroom_pick_"


def classroom_result(index: int) -> str:
    """The key of the learner's answer result for question ``index``."""
    return f"{CLASSROOM_RESULT_PREFIX}{index}"


def classroom_pick(index: int, option: str) -> str:
    """The key of one tick box of question ``index`` (also the checkbox's widget key)."""
    return f"{CLASSROOM_PICK_PREFIX}{index}_{option}"
