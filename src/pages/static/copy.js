// Copy buttons: <button data-copy="ID of the element whose text to copy">. Without script the value stays selectable.
document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
  if (!button) return;
  const source = document.getElementById(button.getAttribute('data-copy'));
  if (!source) return;
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    const label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = label; }, 1500);
  } catch {
    window.getSelection().selectAllChildren(source);
  }
});
for (const button of document.querySelectorAll('button[data-copy]')) button.hidden = false;
